/**
 * The process the crash test kills (tests/crash, `npm run bench -- crash`): it loads a watch
 * list, then loops "check every source, deliver the outbox" like `redline watch` would, and
 * says on stdout what it has made durable, so the parent can check nothing acknowledged is
 * ever lost:
 *
 *   ready              store, outbox and context are open
 *   ack <source> v<N>  checkSource returned: version N is appended to the log (and its alert queued)
 *   cycle <n>          every source checked and everything due delivered
 *   done               (--final only) the outbox is empty and the archive closed
 *
 * Usage: node --import tsx scripts/crash-worker.ts <redline.yaml> [--cycles N] [--final]
 * --final runs N cycles, then delivers until nothing is pending, then exits 0.
 */
import { loadConfig } from '../src/config/index.js';
import { openContext } from '../src/core/context.js';
import { openAlertsFor } from '../src/core/outbox.js';
import { checkAll } from '../src/core/run.js';

function say(line: string): void {
  // One write per line: on Linux a pipe write this small is atomic, so the parent sees whole lines.
  process.stdout.write(`${line}\n`);
}

function usage(problem: string): never {
  process.stderr.write(`crash-worker: ${problem}\nusage: node --import tsx scripts/crash-worker.ts <redline.yaml> [--cycles N] [--final]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) usage('no watch list given');
const cyclesAt = args.indexOf('--cycles');
const cycles = cyclesAt >= 0 ? Number(args[cyclesAt + 1]) : Infinity;
if (!(cycles >= 1)) usage(`--cycles needs a positive number, got ${JSON.stringify(args[cyclesAt + 1])}`);
const final = args.includes('--final');

const config = await loadConfig(file);
const alerts = await openAlertsFor(config);
if (!alerts) usage(`${file} has no alert channels; the crash test needs one to deliver to`);
const ctx = await openContext(config, { sink: alerts.outbox });
say('ready');

for (let cycle = 1; cycle <= cycles; cycle++) {
  const failed: string[] = [];
  await checkAll(ctx, config.sources, {
    concurrency: 4,
    onResult: (o) => {
      if (o.outcome === 'new' || o.outcome === 'changed') say(`ack ${o.source} v${o.version}`);
      if (o.outcome === 'failed') failed.push(`${o.source}: ${o.error?.message}`);
    },
  });
  if (failed.length) process.stderr.write(`cycle ${cycle}: ${failed.join('; ')}\n`);
  // Deliver what is due; a delivery whose sender was killed is due again at once (its owner is gone).
  for (let round = 0; round < 100; round++) {
    const r = await alerts.deliverNow();
    if (r.attempted === 0) break;
  }
  say(`cycle ${cycle}`);
}

if (final) {
  for (let round = 1; ; round++) {
    await alerts.deliverNow();
    const st = await alerts.outbox.status();
    if (st.pending.length === 0) break;
    if (round === 300) {
      process.stderr.write(`still pending after ${round} rounds: ${JSON.stringify(st.pending.slice(0, 5))}\n`);
      process.exit(3);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await ctx.close();
  say('done');
}
