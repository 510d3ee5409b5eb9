/** check: every (or the named) source once, one line each; exit 1 if any check failed. */
import type { Command } from 'commander';
import type { CheckOutcome } from '../../core/check.js';
import { UsageError, loadFrom, printJson, println } from '../io.js';
import { collectGarbageNow } from '../heap.js';

export function describeOutcome(o: CheckOutcome): string {
  switch (o.outcome) {
    case 'new': return `new (version 1)`;
    case 'changed': return `changed → version ${o.version} (+${o.wordsAdded ?? 0} / -${o.wordsRemoved ?? 0} words)`;
    case 'unchanged': {
      const note = o.entry.meta?.declaredUpdate;
      return `unchanged (version ${o.version})${typeof note === 'string' ? `; ${note}` : ''}`;
    }
    case 'failed': return `failed: ${o.error?.message ?? 'unknown error'}`;
  }
}

type JsonOutcome = Pick<CheckOutcome, 'source' | 'outcome' | 'version' | 'wordsAdded' | 'wordsRemoved' | 'error' | 'events'> & { alerts: string[] };

function jsonOutcome(o: CheckOutcome): JsonOutcome {
  return {
    source: o.source, outcome: o.outcome, version: o.version, wordsAdded: o.wordsAdded,
    wordsRemoved: o.wordsRemoved, error: o.error, events: o.events, alerts: o.alerts.map((a) => a.key),
  };
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check all (or the named) sources once and archive what changed')
    .argument('[ids...]', 'source ids (default: all)')
    .option('--json', 'machine-readable output')
    .option('--concurrency <n>', 'checks in flight at once', '16')
    .action(async (ids: string[], opts: { json?: boolean; concurrency: string }, cmd: Command) => {
      const config = await loadFrom(cmd);
      // The pipeline is loaded after the watch list, and the list's parse garbage collected
      // first: otherwise both are in memory at once when the first checks start (peak RSS).
      collectGarbageNow();
      const [{ openContext }, { checkAll, pickSources }, { openAlertsFor }, { readSigningKey }, { openFsStore }] = await Promise.all([
        import('../../core/context.js'), import('../../core/run.js'), import('../../core/outbox.js'),
        import('../../core/signing.js'), import('../../store/index.js'),
      ]);
      collectGarbageNow();
      let sources;
      try {
        sources = pickSources(config.sources, ids);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const alerts = await openAlertsFor(config);
      const signingKey = await readSigningKey(config);
      const store = await openFsStore(config.archive);
      const ctx = await openContext(config, { store, sink: alerts?.outbox });
      const tty = process.stderr.isTTY && !opts.json;
      // Only --json needs every outcome at the end, and only these few fields of each.
      const records: JsonOutcome[] = [];
      try {
        const counts = await checkAll(ctx, sources, {
          concurrency: Number(opts.concurrency) || 16,
          onResult: (o, done, total, index) => {
            if (opts.json) records[index] = jsonOutcome(o);
            if (tty && total > 20) process.stderr.write(`\r${done}/${total} checked`);
            if (!opts.json && (!tty || total <= 20 || o.outcome !== 'unchanged')) {
              if (tty && total > 20) process.stderr.write('\r\x1b[K');
              println(`${o.source}: ${describeOutcome(o)}`);
            }
          },
        });
        if (tty && sources.length > 20) process.stderr.write('\r\x1b[K');
        if (signingKey) await store.signHeads(signingKey);
        const delivered = alerts ? await alerts.deliverNow() : undefined;
        if (opts.json) {
          printJson({ outcomes: records, alerts: delivered });
        } else {
          println(`${counts.checked} checked: ${counts.changed} changed, ${counts.new} new, ${counts.unchanged} unchanged, ${counts.failed} failed`);
        }
        if (counts.failed > 0) process.exitCode = 1;
      } finally {
        await ctx.close();
        await store.close();
      }
    });
}
