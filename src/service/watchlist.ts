/**
 * The scheduler's view of a watch list: sources indexed by id with their normalized cron
 * expression, validated as a whole before anything changes (a bad reload must leave the
 * running list untouched), and the difference between two such lists.
 */
import type { SourceConfig } from '../config/types.js';
import { cronProblem, normalizeExpression, timezoneProblem } from './cron-time.js';

export interface Entry {
  source: SourceConfig;
  /** Normalized cron expression: the group key. */
  key: string;
  /** host[:port] of the URL, as the fetch layer's per-host gate keys it. */
  host: string;
  /** Checks of this host in flight at once (the source's fetch.perHostConcurrency), if set. */
  hostLimit?: number;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export class ScheduleError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `the watch list cannot be scheduled (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ScheduleError';
    this.problems = problems;
  }
}

/** Throws ScheduleError naming every bad source (duplicate id, bad cron, bad timezone) at once. */
export function indexSources(
  sources: readonly SourceConfig[],
  defaultSchedule: string | undefined,
  timezone: string | undefined,
): Map<string, Entry> {
  const problems: string[] = [];
  if (timezone !== undefined) {
    const bad = timezoneProblem(timezone);
    if (bad) problems.push(bad);
  }
  if (defaultSchedule !== undefined) {
    const bad = cronProblem(defaultSchedule);
    if (bad) problems.push(`default schedule: ${bad}`);
  }
  const entries = new Map<string, Entry>();
  const checked = new Map<string, string | undefined>();
  sources.forEach((source, i) => {
    const where = `sources[${i}]${typeof source?.id === 'string' ? ` (id "${source.id}")` : ''}`;
    if (typeof source?.id !== 'string' || source.id === '') {
      problems.push(`${where}: has no id`);
      return;
    }
    if (entries.has(source.id)) {
      problems.push(`${where}: duplicate id; each source needs its own id`);
      return;
    }
    const raw = typeof source.schedule === 'string' && source.schedule.trim() !== '' ? source.schedule : defaultSchedule;
    if (raw === undefined) {
      problems.push(`${where}: has no schedule and no default schedule is configured`);
      return;
    }
    const key = normalizeExpression(raw);
    if (!checked.has(key)) checked.set(key, cronProblem(key));
    const bad = checked.get(key);
    if (bad) {
      problems.push(`${where}: ${bad}`);
      return;
    }
    const limit = source.fetch?.perHostConcurrency;
    const hostLimit = Number.isInteger(limit) && limit > 0 ? limit : undefined;
    entries.set(source.id, { source, key, host: hostOf(source.url), hostLimit });
  });
  if (problems.length > 0) throw new ScheduleError(problems);
  return entries;
}

export interface WatchListDiff {
  added: string[];
  removed: string[];
  rescheduled: string[];
  updated: string[];
}

function sameSource(a: SourceConfig, b: SourceConfig): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export function diffWatchLists(before: ReadonlyMap<string, Entry>, after: ReadonlyMap<string, Entry>): WatchListDiff {
  const diff: WatchListDiff = { added: [], removed: [], rescheduled: [], updated: [] };
  for (const [id, next] of after) {
    const prev = before.get(id);
    if (!prev) diff.added.push(id);
    else if (prev.key !== next.key) diff.rescheduled.push(id);
    else if (!sameSource(prev.source, next.source)) diff.updated.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  return diff;
}
