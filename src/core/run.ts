/** Check many sources once, concurrently; per-host politeness is the fetcher's job. */
import type { SourceConfig } from '../config/types.js';
import { checkSource, type CheckOutcome } from './check.js';
import type { CheckContext } from './context.js';

export interface RunOptions {
  /** Checks in flight at once across all hosts. */
  concurrency?: number;
  onResult?: (outcome: CheckOutcome, done: number, total: number) => void;
}

export async function checkAll(ctx: CheckContext, sources: SourceConfig[], opts: RunOptions = {}): Promise<CheckOutcome[]> {
  // A fixed set of workers taking the next source, rather than one queued closure and promise
  // per source up front: 10,000 sources then cost 16 pending checks, not 10,000.
  const results = new Array<CheckOutcome>(sources.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      const outcome = await checkSource(ctx, sources[i]!);
      results[i] = outcome;
      done += 1;
      opts.onResult?.(outcome, done, sources.length);
    }
  };
  const wanted = opts.concurrency !== undefined && Number.isFinite(opts.concurrency) ? Math.floor(opts.concurrency) : 16;
  const workers = Math.max(1, Math.min(wanted, sources.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
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
