/** quote and blame: questions about wording, answered from the archive with evidence. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { QuoteResult } from '../../analyze/types.js';
import { UsageError, loadFrom, parsePositiveInt, printJson, println } from '../io.js';

function printQuote(quote: string, r: QuoteResult): void {
  println(`verdict: ${r.verdict} (similarity ${r.similarity.toFixed(2)})`);
  if (r.match) {
    const m = r.match;
    const when = m.firstSeen ? `, present ${m.ranges.map((x) => `v${x.fromVersion}–v${x.toVersion} (${x.firstSeen} → ${x.lastSeen})`).join(', ')}` : '';
    // A file given with --in has no versions; the archive's matches say which and when.
    const version = m.firstSeen ? ` version ${m.version}` : '';
    println(`best match: ${m.source}${version}, paragraph ${m.paragraph}${when}`);
    println(`  source says: "${m.text}"`);
  }
  println(`  quote:       "${quote}"`);
  for (const d of r.details) println(`  - ${d}`);
}

export function registerQuote(program: Command): void {
  program
    .command('quote')
    .description('did the statement ever say this? verbatim, typography, altered, stitched, truncated or not found')
    .argument('<text>', 'the quote, as printed in the article')
    .option('--source <id>', 'only this source (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--in <file>', 'check against a local file or URL instead of the archive')
    .option('--json', 'machine-readable output')
    .action(async (text: string, opts: { source?: string[]; in?: string; json?: boolean }, cmd: Command) => {
      if (!text.trim()) throw new UsageError('give the quote to check: redline quote "TEXT"');
      let result: QuoteResult;
      const { buildQuoteIndex, checkQuote, checkQuoteInText } = await import('../../analyze/index.js');
      if (opts.in) {
        const { loadDocument } = await import('../../core/document.js');
        const doc = await loadDocument(opts.in);
        result = checkQuoteInText(doc.text, text);
        if (result.match) result.match.source = opts.in;
      } else {
        const config = await loadFrom(cmd);
        const { openFsStore } = await import('../../store/index.js');
        const store = await openFsStore(config.archive, { readOnly: true });
        const index = await buildQuoteIndex(store, opts.source);
        result = checkQuote(index, text);
      }
      if (opts.json) return printJson(result);
      printQuote(text, result);
      if (result.verdict === 'not-found') process.exitCode = 1;
    });

  program
    .command('blame')
    .description('each sentence of a version with the version and date it first appeared in that wording')
    .argument('<id>', 'source id')
    .option('--version <n>', 'version to explain (default: latest)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { version?: string; json?: boolean }, cmd: Command) => {
      const config = await loadFrom(cmd);
      const [{ openFsStore }, { blame }, { requireVersions }] = await Promise.all([
        import('../../store/index.js'), import('../../analyze/index.js'), import('../../core/archive.js'),
      ]);
      const store = await openFsStore(config.archive, { readOnly: true });
      await requireVersions(store, id);
      const lines = await blame(store, id, opts.version ? parsePositiveInt(opts.version, '--version') : undefined);
      if (opts.json) return printJson(lines);
      let paragraph = 0;
      for (const l of lines) {
        if (l.paragraph !== paragraph) {
          if (paragraph) println();
          paragraph = l.paragraph;
        }
        const since = `v${l.since.version} ${l.since.time.slice(0, 10)}`;
        println(`${since.padEnd(14)} ${l.sentence}`);
        if (l.previously) println(`${''.padEnd(14)}   was (v${l.previously.version}): ${l.previously.text}`);
      }
    });
}
