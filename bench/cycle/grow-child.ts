/**
 * History setup for the flatness measurement, in its own process: appends `count` versions
 * to each named source through the store API (putBlob of a distinct text, then a "changed"
 * entry), as 100 real change cycles would, in a fraction of the time. The pages are not
 * fetched: the next real check finds the served page differs from the newest of these and
 * stores it as a real version with real validators.
 *
 * With --unchanged first, appends `count` unchanged checks confirming the current version
 * instead (a copy of the newest success's validators and hashes), as `count` quiet cycles would.
 *
 * Usage: node --import tsx bench/cycle/grow-child.ts [--unchanged] <archive> <seed> <count> <origin> <index>...
 */
import pLimit from 'p-limit';
import { openFsStore } from '../../src/store/index.js';
import { Prose } from '../corpus.js';
import { baseModel, modelText, pagePath } from './pages.js';
import { sourceId } from './redline.js';

/** Text k of a source's synthetic past: the page's statement with paragraph k replaced. */
export function syntheticText(seed: number, index: number, k: number, base = baseModel(seed, index)): string {
  const prose = new Prose((seed ^ Math.imul(index + 1, 0x27d4eb2f) ^ Math.imul(k + 1, 0x165667b1)) >>> 0);
  const paragraphs = base.paragraphs.slice();
  paragraphs[k % paragraphs.length] = `${prose.paragraph()} (revision ${k})`;
  return modelText({ ...base, paragraphs });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const unchanged = argv[0] === '--unchanged';
  if (unchanged) argv.shift();
  const [archive, seedArg, countArg, origin, ...indexArgs] = argv;
  const seed = Number(seedArg);
  const count = Number(countArg);
  if (!archive || !origin || !Number.isInteger(seed) || !Number.isInteger(count) || count < 0 || indexArgs.length === 0) {
    throw new Error('usage: grow-child.ts [--unchanged] <archive> <seed> <count> <origin> <index>...');
  }
  const store = await openFsStore(archive);
  const limit = pLimit(16);
  const started = Date.now();
  try {
    await Promise.all(
      indexArgs.map(Number).map((index) =>
        limit(async () => {
          const id = sourceId(index);
          const head = await store.head(id);
          if (!head?.version) throw new Error(`source ${id} has no version in ${archive}: run a first check before growing its history`);
          const base = baseModel(seed, index);
          // Spread between the head and now, so the log stays in time order and the next real check comes after.
          const from = Date.parse(head.time);
          const step = Math.max(0, (started - from) / (count + 1));
          for (let k = 0; k < count; k++) {
            const time = Math.round(from + step * (k + 1));
            if (unchanged) {
              await store.append(id, {
                time: new Date(time).toISOString(), url: head.url, finalUrl: head.finalUrl, status: 304, etag: head.etag,
                lastModified: head.lastModified, contentType: head.contentType, outcome: 'unchanged', version: head.version,
                textHash: head.textHash, rawHash: head.rawHash,
              });
              continue;
            }
            const textHash = await store.putBlob(Buffer.from(syntheticText(seed, index, head.seq + k, base), 'utf8'));
            await store.append(id, {
              time: new Date(time).toISOString(), url: `${origin}${pagePath(index)}`, status: 200,
              // A page served with validators of its own, as nginx does, so the next check asks with them.
              etag: `"synthetic-${head.seq + k}"`, outcome: 'changed', textHash, meta: { synthetic: 'bench/cycle history setup' },
            });
          }
        }),
      ),
    );
  } finally {
    await store.close();
  }
  process.stdout.write(`${JSON.stringify({ sources: indexArgs.length, versionsAdded: count, ms: Date.now() - started })}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
