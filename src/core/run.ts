/** Check many sources once, concurrently; per-host politeness is the fetcher's job. */
import type { SourceConfig } from '../config/types.js';
import { checkSource, type CheckOutcome } from './check.js';
import type { CheckContext } from './context.js';

export interface RunOptions {
  /** Checks in flight at once across all hosts. */
  concurrency?: number;
  /** Each outcome as it finishes, with its index in `sources`. */
  onResult?: (outcome: CheckOutcome, done: number, total: number, index: number) => void;
}

export type RunCounts = Record<CheckOutcome['outcome'], number> & { checked: number; alerts: number };

/**
 * One pass: each source is checked once, so nothing about it is kept afterwards. Outcomes go to
 * `onResult` and are not collected (each holds its log entry, alerts and diff), and the source's
 * cached state and log head are dropped after its check (the service, which checks the same
 * sources again and again, keeps them). Returns the counts.
 */
export async function checkAll(ctx: CheckContext, sources: SourceConfig[], opts: RunOptions = {}): Promise<RunCounts> {
  const counts: RunCounts = { checked: 0, new: 0, changed: 0, unchanged: 0, failed: 0, alerts: 0 };
  // A fixed set of workers taking the next source, rather than one queued closure and promise
  // per source up front: 10,000 sources then cost 16 pending checks, not 10,000.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      const outcome = await checkSource(ctx, sources[i]!);
      ctx.states.forget(outcome.source);
      ctx.store.release?.(outcome.source);
      counts.checked += 1;
      counts[outcome.outcome] += 1;
      counts.alerts += outcome.alerts.length;
      opts.onResult?.(outcome, counts.checked, sources.length, i);
    }
  };
  const wanted = opts.concurrency !== undefined && Number.isFinite(opts.concurrency) ? Math.floor(opts.concurrency) : 16;
  const workers = Math.max(1, Math.min(wanted, sources.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return counts;
}

/** The sources named by id, in the order given; unknown ids are an error listing the known ones. */
export function pickSources(all: SourceConfig[], ids: string[]): SourceConfig[] {
  if (ids.length === 0) return all;
  const byId = new Map(all.map((s) => [s.id, s]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length) {
    const known = all.map((s) => s.id).join(', ') || '(none)';
    throw new Error(`unknown source id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the watch list has: ${known}`);
  }
  return ids.map((id) => byId.get(id)!);
}
