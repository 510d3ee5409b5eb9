/** Check many sources once, concurrently; per-host politeness is the fetcher's job. */
import pLimit from 'p-limit';
import type { SourceConfig } from '../config/types.js';
import { checkSource, type CheckOutcome } from './check.js';
import type { CheckContext } from './context.js';

export interface RunOptions {
  /** Checks in flight at once across all hosts. */
  concurrency?: number;
  onResult?: (outcome: CheckOutcome, done: number, total: number) => void;
}

export async function checkAll(ctx: CheckContext, sources: SourceConfig[], opts: RunOptions = {}): Promise<CheckOutcome[]> {
  const limit = pLimit(opts.concurrency ?? 16);
  let done = 0;
  return Promise.all(
    sources.map((source) =>
      limit(async () => {
        const outcome = await checkSource(ctx, source);
        done += 1;
        opts.onResult?.(outcome, done, sources.length);
        return outcome;
      }),
    ),
  );
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
