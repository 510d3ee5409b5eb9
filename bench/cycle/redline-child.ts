/**
 * One Redline check cycle in its own process, as `redline check` runs it: the executable's
 * heap set-up (src/cli/heap.ts), the watch list through the real loader (then the pipeline modules, in the CLI's order),
 * open the archive and the outbox, checkAll at the given
 * concurrency, deliver the queued alerts. Prints one JSON line with timings, outcome
 * counts and this process's peak RSS, so the parent can compare it with urlwatch.
 *
 * Usage: node --import tsx bench/cycle/redline-child.ts <redline.yaml> [concurrency]
 */
import { performance } from 'node:perf_hooks';
import { loadWatchList } from '../../src/core/watchlist.js';
import { collectGarbageNow, limitHeapGrowth } from '../../src/cli/heap.js';

export interface ChildReport {
  /** Module loading until the watch list is parsed. */
  startMs: number;
  loadMs: number;
  /** openContext + checkAll + close: the check cycle itself. */
  cycleMs: number;
  deliverMs: number;
  counts: Record<'new' | 'changed' | 'unchanged' | 'failed', number>;
  alertsQueued: number;
  alertsDelivered: number;
  failures: string[];
  maxRssKB: number;
}

async function main(): Promise<void> {
  // The same process set-up as the redline executable.
  limitHeapGrowth();
  const [file, concurrencyArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: redline-child.ts <redline.yaml> [concurrency]');
  const startMs = performance.now();
  const config = await loadWatchList(file);
  const loadMs = performance.now() - startMs;
  // As `redline check` does (src/cli/commands/check.ts): the pipeline is loaded after the watch
  // list, with the list's parse garbage collected before and the modules' after.
  collectGarbageNow();
  const [{ openContext }, { openAlertsFor }, { checkAll }] = await Promise.all([
    import('../../src/core/context.js'), import('../../src/core/outbox.js'), import('../../src/core/run.js'),
  ]);
  collectGarbageNow();
  const alerts = await openAlertsFor(config);
  const t0 = performance.now();
  const ctx = await openContext(config, { sink: alerts?.outbox });
  const counts = { new: 0, changed: 0, unchanged: 0, failed: 0 };
  const failures: string[] = [];
  let alertsQueued = 0;
  try {
    await checkAll(ctx, config.sources, {
      concurrency: Number(concurrencyArg) || 16,
      onResult: (o) => {
        counts[o.outcome]++;
        alertsQueued += o.alerts.length;
        if (o.outcome === 'failed' && failures.length < 5) failures.push(`${o.source}: ${o.error?.message}`);
      },
    });
  } finally {
    await ctx.close();
  }
  const cycleMs = performance.now() - t0;
  const t1 = performance.now();
  const delivered = alerts ? await alerts.deliverNow() : undefined;
  const deliverMs = performance.now() - t1;
  const report: ChildReport = {
    startMs,
    loadMs,
    cycleMs,
    deliverMs,
    counts,
    alertsQueued,
    alertsDelivered: delivered?.delivered ?? 0,
    failures,
    maxRssKB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
