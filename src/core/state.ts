/**
 * What the pipeline needs to remember about a source between checks, derived
 * from the source's log once per process and then kept up to date in memory,
 * so a check never rescans the history (an unchanged check stays O(1) however
 * many versions a source has).
 */
import type { CheckEntry, Store } from '../store/types.js';
import { CHECKPOINT_EVERY, checkpointOf, entriesAfter, parseCheckpoint } from './checkpoint.js';

/**
 * What a check needs of the entry that stored the current version. Not the entry itself: a
 * service keeps one state per source for its whole life, and an entry's links and metadata
 * can run to kilobytes. A change reads the whole entry back (entryAt) to diff against it.
 */
export interface CurrentVersion {
  seq: number;
  version: number;
  time: string;
  textHash: string;
  rawHash?: string;
  /** What the page declared about its own updates when this version was stored. */
  declared?: unknown;
}

export function currentVersionOf(e: CheckEntry): CurrentVersion {
  const v: CurrentVersion = { seq: e.seq, version: e.version ?? 0, time: e.time, textHash: e.textHash ?? '' };
  if (e.rawHash !== undefined) v.rawHash = e.rawHash;
  if (e.meta?.declared !== undefined) v.declared = e.meta.declared;
  return v;
}

export interface SourceState {
  /** The version the next check compares with (outcome new/changed). */
  current?: CurrentVersion;
  /** What the page last declared about its own updates (kept on an entry only when it changed). */
  declared?: unknown;
  /** Validators from the last successful answer, sent back verbatim. */
  etag?: string;
  lastModified?: string;
  /** Consecutive failed checks up to now, and when that run started. */
  failStreak: number;
  failSince?: string;
  /**
   * Failures that say "gone" (404, 410, soft 404) since the last success, and when that run
   * started; failures that cannot tell (5xx, timeouts, bot walls) neither count nor reset it.
   */
  goneStreak: number;
  goneSince?: string;
  /** A removal was confirmed and not yet followed by a restore. */
  removed: boolean;
  /** A "failing" alert was raised and not yet followed by a recovery. */
  failing: boolean;
}

/** Failures that mean the statement may be gone, as opposed to "we could not tell". */
export function isGoneSignal(entry: Pick<CheckEntry, 'outcome' | 'status' | 'error'>): boolean {
  if (entry.outcome !== 'failed') return false;
  if (entry.error?.code === 'soft-404') return true;
  return entry.error?.code === 'http' && (entry.status === 404 || entry.status === 410);
}

/** Events a check raised, kept in the entry so alerts can be re-derived after a crash. */
export function eventsOf(e: Pick<CheckEntry, 'meta'>): string[] {
  const events = e.meta?.events;
  return Array.isArray(events) ? events.filter((x): x is string => typeof x === 'string') : [];
}

export function emptyState(): SourceState {
  return { failStreak: 0, goneStreak: 0, removed: false, failing: false };
}

/**
 * Folds one entry into the state: the same rule at load time and after each append.
 * (stateEntries, below, must know every field a success keeps from earlier entries.)
 */
export function advance(state: SourceState, e: CheckEntry): SourceState {
  const next: SourceState = { ...state };
  if (e.outcome === 'failed') {
    next.failStreak = state.failStreak + 1;
    next.failSince = state.failStreak === 0 ? e.time : state.failSince;
    // Any other failure (a 500, a timeout, a bot wall) says nothing about whether the
    // statement is still there: it neither counts towards a removal nor breaks the run.
    if (isGoneSignal(e)) {
      next.goneStreak = state.goneStreak + 1;
      next.goneSince = state.goneStreak === 0 ? e.time : state.goneSince;
    }
  } else {
    next.failStreak = 0;
    next.failSince = undefined;
    next.goneStreak = 0;
    next.goneSince = undefined;
    if (e.outcome === 'new' || e.outcome === 'changed') next.current = currentVersionOf(e);
    if (e.meta?.declared !== undefined) next.declared = e.meta.declared;
    // A 304 carries no validators of its own: keep the ones that earned it.
    if (e.etag !== undefined || e.lastModified !== undefined) {
      next.etag = e.etag;
      next.lastModified = e.lastModified;
    }
  }
  for (const event of eventsOf(e)) {
    if (event === 'removed') next.removed = true;
    if (event === 'restored') next.removed = false;
    if (event === 'failing') next.failing = true;
    if (event === 'recovered') next.failing = false;
  }
  return next;
}

/** A store that can read a log from its end (the file store can); others give the whole log. */
interface BackwardReader {
  recent(source: string, stop: (e: CheckEntry) => boolean): Promise<CheckEntry[]>;
}

/** The newest entry of a source's log that `test` accepts, read from the end. */
export async function findBack(store: Store, source: string, test: (e: CheckEntry) => boolean): Promise<CheckEntry | undefined> {
  const reader = store as Store & Partial<BackwardReader>;
  if (typeof reader.recent !== 'function') return (await store.log(source)).findLast(test);
  const e = (await reader.recent(source, test)).at(-1);
  return e && test(e) ? e : undefined;
}

/** One entry by seq (a change is diffed against the whole entry of the version it replaces). */
export async function entryAt(store: Store, source: string, seq: number): Promise<CheckEntry | undefined> {
  const e = await findBack(store, source, (x) => x.seq <= seq);
  return e?.seq === seq ? e : undefined;
}

/**
 * The newest entries whose fold gives the same state as the whole log, oldest first. After
 * a success the failure runs restart and removed/failing are settled (a success raises
 * restored/recovered when they were set), so only what a success keeps from earlier
 * entries reaches further back: the current version, the last validators, the last
 * declarations, and that success itself. A field added to `advance` that a success keeps
 * from before must be added here too (tests/cycle/state-tail.test.ts checks the field list).
 */
export async function stateEntries(store: Store, source: string): Promise<CheckEntry[]> {
  const reader = store as Store & Partial<BackwardReader>;
  if (typeof reader.recent !== 'function') return store.log(source);
  let success = false;
  let version = false;
  let validators = false;
  let declared = false;
  const newestFirst = await reader.recent(source, (e) => {
    if (e.outcome !== 'failed') {
      success = true;
      if (e.outcome === 'new' || e.outcome === 'changed') version = true;
      if (e.etag !== undefined || e.lastModified !== undefined) validators = true;
      if (e.meta?.declared !== undefined) declared = true;
    }
    return success && version && validators && declared;
  });
  return newestFirst.reverse();
}

/** The entries after `seq`, oldest first, read from the end of the log (and entry `seq` itself, first). */
async function entriesFrom(store: Store, source: string, seq: number): Promise<CheckEntry[]> {
  const reader = store as Store & Partial<BackwardReader>;
  if (typeof reader.recent !== 'function') return (await store.log(source)).filter((e) => e.seq >= seq);
  return (await reader.recent(source, (e) => e.seq <= seq)).reverse();
}

/**
 * Per-process cache of source states, loaded lazily from the end of each source's log: back to
 * the source's checkpoint (src/core/checkpoint.ts), at most CHECKPOINT_EVERY entries behind, or,
 * without one, back to the current version, the last validators and the last declarations. So a
 * fresh process (a cron-driven `redline check`) reads a short tail for 1 or 1,000 versions and
 * any number of unchanged checks since.
 */
export class StateCache {
  private readonly states = new Map<string, SourceState>();
  /** Per source: the oldest entry a fresh process would read back to (or the last checkpoint). */
  private readonly reach = new Map<string, number>();
  constructor(private readonly store: Store) {}

  async get(source: string): Promise<SourceState> {
    const known = this.states.get(source);
    if (known) return known;
    const loaded = await this.load(source);
    this.states.set(source, loaded.state);
    this.reach.set(source, loaded.reach);
    return loaded.state;
  }

  private async load(source: string): Promise<{ state: SourceState; reach: number }> {
    const fold = (start: SourceState, entries: readonly CheckEntry[]) => entries.reduce(advance, start);
    const cp = parseCheckpoint(await this.store.readState?.(source));
    const after = cp && entriesAfter(cp, await entriesFrom(this.store, source, cp.seq));
    if (cp && after) return { state: fold(cp.state, after), reach: cp.seq };
    const entries = await stateEntries(this.store, source);
    return { state: fold(emptyState(), entries), reach: entries[0]?.seq ?? 0 };
  }

  /** Folds a new entry in; writes a checkpoint when a fresh read would otherwise go far back. */
  async record(source: string, state: SourceState, entry: CheckEntry): Promise<SourceState> {
    const next = advance(state, entry);
    this.states.set(source, next);
    const reach = this.reach.get(source) ?? 0;
    if (this.store.writeState && entry.seq - reach >= CHECKPOINT_EVERY) {
      try {
        await this.store.writeState(source, checkpointOf(entry, next));
        this.reach.set(source, entry.seq);
      } catch {
        // A cache: if it cannot be written, the next fresh process reads further back in the
        // log instead, and the next check here tries again.
      }
    }
    return next;
  }

  forget(source: string): void {
    this.states.delete(source);
    this.reach.delete(source);
  }
}
