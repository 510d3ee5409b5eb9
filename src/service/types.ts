/** Interfaces of the long-running service: the scheduler, the check it runs, and its statistics. */
import type { Logger } from 'pino';
import type { SourceConfig } from '../config/types.js';

export type { Logger };

export interface RunCheckContext {
  /**
   * Aborted when the check overran its time limit or the service is shutting down and the grace
   * period ran out. A check should pass it to its fetch and stop early when it fires.
   */
  signal: AbortSignal;
}

/**
 * Checks one source. What it resolves to is the pipeline's business; the service reads these
 * optional fields when present (the pipeline's CheckOutcome can carry them): `outcome`
 * ('new' | 'changed' | 'unchanged' | 'failed' …), `changed`, `alerts` (a count or the list),
 * `version`, `error`.
 */
export type CheckFn = (source: SourceConfig, ctx: RunCheckContext) => Promise<unknown>;

export interface CheckDone {
  source: SourceConfig;
  startedAt: Date;
  ms: number;
  /** What the check resolved to (absent when it threw). */
  result?: unknown;
  /** Why it threw. */
  error?: unknown;
  /** True when it was aborted by its time limit or by shutdown. */
  aborted: boolean;
}

export interface SchedulerStats {
  state: 'new' | 'running' | 'stopping' | 'stopped';
  sources: number;
  /** node-cron tasks alive: one per distinct cron expression. */
  groups: number;
  queued: number;
  running: number;
  /** Schedule ticks handled (coalesced bursts count once). */
  ticks: number;
  /** Sources put in the queue (by ticks and by catch-up). */
  enqueued: number;
  /** Of those, put in the queue by catch-up at start or reload. */
  caughtUp: number;
  /** Ticks that found the source still queued or running, and so did not add it again. */
  skippedBusy: number;
  started: number;
  succeeded: number;
  failed: number;
  /** Checks aborted by their time limit or by shutdown. */
  aborted: number;
  lastTickAt?: string;
}

export interface ReloadReport {
  added: string[];
  removed: string[];
  /** Sources whose schedule changed (moved to another group). */
  rescheduled: string[];
  /** Sources whose settings other than the schedule changed; the next check uses them. */
  updated: string[];
  groupsCreated: number;
  groupsRemoved: number;
}

/**
 * The part of a reload the scheduler does not own (the watch command's alert channels), made
 * after it was validated. `commit` runs as the scheduler takes the new list; `undo` if the
 * scheduler then refuses it, so the old list and the old extras keep running together.
 */
export interface PreparedReload {
  commit(): void;
  undo(): void;
}

export interface StopReport {
  /** Queued checks that were never started (a restart's catch-up runs them if they are due). */
  dropped: number;
  /** In-flight checks that finished within the grace period. */
  finished: number;
  /** In-flight checks still running when the grace period ran out; they were aborted. */
  abandoned: string[];
}
