/**
 * Checkpoints of a source's check state (state.json beside its log), so a fresh process reads a
 * bounded tail of the log however long ago the current version, the last validators or the
 * last declarations were logged: without them, 100 unchanged checks since the newest version
 * made the first cycle of a cron-driven `redline check` 2.9× slower.
 *
 * A checkpoint is a cache, never evidence: it names the log entry it was folded up to (seq and
 * hash), and is used only when the entries read back from the end of the log reach that entry
 * with the same hash. Anything else (missing, unreadable, or a log that was rewritten) falls
 * back to reading the log.
 */
import type { CheckEntry } from '../store/types.js';
import type { SourceState } from './state.js';

/**
 * A checkpoint is written once a fresh read would go this many entries back. Small, because a
 * fresh process reads up to this many entries per source; each write is one small file renamed
 * into place (no fsync), so a source unchanged for a long time writes one every 8 checks.
 */
export const CHECKPOINT_EVERY = 8;

export interface Checkpoint {
  format: 1;
  /** The last entry folded into `state`. */
  seq: number;
  hash: string;
  state: SourceState;
}

export function checkpointOf(entry: Pick<CheckEntry, 'seq' | 'hash'>, state: SourceState): Checkpoint {
  return { format: 1, seq: entry.seq, hash: entry.hash, state };
}

function isState(v: unknown): v is SourceState {
  const s = v as Partial<SourceState> | null;
  return typeof s === 'object' && s !== null && Number.isSafeInteger(s.failStreak) && Number.isSafeInteger(s.goneStreak) &&
    typeof s.removed === 'boolean' && typeof s.failing === 'boolean' &&
    (s.current === undefined || (typeof s.current === 'object' && s.current !== null && Number.isSafeInteger(s.current.seq) &&
      Number.isSafeInteger(s.current.version) && typeof s.current.textHash === 'string'));
}

export function parseCheckpoint(value: unknown): Checkpoint | undefined {
  const c = value as Partial<Checkpoint> | null;
  if (typeof c !== 'object' || c === null || c.format !== 1) return undefined;
  if (!Number.isSafeInteger(c.seq) || typeof c.hash !== 'string' || !isState(c.state)) return undefined;
  return c as Checkpoint;
}

/**
 * The entries of `tail` (oldest first, consecutive, ending at the head) that come after the
 * checkpoint, if the tail reaches the checkpoint's entry and that entry is the one it names.
 */
export function entriesAfter(cp: Checkpoint, tail: readonly CheckEntry[]): CheckEntry[] | undefined {
  const oldest = tail[0];
  if (!oldest) return undefined;
  if (cp.seq === oldest.seq - 1) return oldest.prev === cp.hash ? [...tail] : undefined;
  const at = tail.findIndex((e) => e.seq === cp.seq);
  if (at < 0 || tail[at]!.hash !== cp.hash) return undefined;
  return tail.slice(at + 1);
}
