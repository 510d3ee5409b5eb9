/** An alert: what the outbox stores and every channel renders. */
import type { ZodType } from 'zod';
import type { DiffReport } from '../diff/types.js';

export type AlertEvent = 'changed' | 'new' | 'removed' | 'restored' | 'failing' | 'recovered';

export interface Significance {
  level: 'none' | 'low' | 'medium' | 'high';
  alert: boolean;
  reasons: string[];
}

export interface Alert {
  /** Stable idempotency key: the same event always yields the same key (e.g. "fema-maria@v3"). */
  key: string;
  event: AlertEvent;
  source: string;
  url: string;
  tags: string[];
  /** When Redline detected it (ISO 8601 UTC). */
  detectedAt: string;
  fromVersion?: number;
  toVersion?: number;
  fromTime?: string;
  toTime?: string;
  /** One line: "3 words changed in paragraph 4: 'must' → 'should'". */
  summary: string;
  significance?: Significance;
  report?: DiffReport;
  /** Where a reader sees the whole (CLI command, or a URL when a server is configured). */
  links: { diff?: string; archive?: string };
  /** Present for 'removed', 'failing' and 'recovered'. */
  failure?: FailureInfo;
}

/** Why a source is failing or was removed (events 'removed', 'failing', 'recovered'). */
export interface FailureInfo {
  /** Consecutive failed checks (for 'recovered': how many failed before it came back). */
  checks: number;
  /** First failed check of the run (ISO 8601 UTC). */
  since: string;
  /** HTTP status of the last failed check, when there was a response. */
  status?: number;
  /** One-line error of the last failed check ("connect ETIMEDOUT", "statement missing from listing"). */
  error?: string;
}

/** What a channel gets besides the alert and its own parsed settings. */
export interface DeliveryContext {
  /** The idempotency key (= alert.key); receivers use it to drop duplicates. */
  key: string;
  /** Stable channel id (settings `name`, else type + hash of the destination). */
  channelId: string;
  /** 1 for the first try. */
  attempt: number;
  /** Aborted when the delivery runs past its time limit or the service shuts down. */
  signal: AbortSignal;
  /** Directory of redline.yaml; relative paths in settings resolve against it. */
  baseDir: string;
  /** Where the jsonl channel writes when it has no `path`. */
  stdout: NodeJS.WritableStream;
}

/** Where a delivery stands. 'sending' = claimed by a process that may have died mid-send. */
export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'dead';

/** One (alert, channel) delivery as `redline alerts` shows it. */
export interface DeliveryView {
  key: string;
  channel: string;
  state: DeliveryState;
  /** Attempts started so far. */
  attempts: number;
  source: string;
  event: AlertEvent;
  summary: string;
  enqueuedAt: string;
  updatedAt: string;
  lastError?: string;
  /** For pending: not before this time (ISO 8601). */
  nextAttemptAt?: string;
  deliveredAt?: string;
}

export interface OutboxStatus {
  pending: DeliveryView[];
  delivered: DeliveryView[];
  dead: DeliveryView[];
  /** Earliest time a pending delivery becomes due (absent when nothing is pending). */
  nextDueAt?: string;
  /** outbox/sent.jsonl, when older delivered alerts were retired there (not listed above). */
  sentLog?: string;
}

export interface DeliverResult {
  attempted: number;
  delivered: number;
  /** Failed and scheduled for another attempt. */
  retrying: number;
  /** Failed for good this round (moved to the dead-letter list). */
  dead: number;
  failures: { key: string; channel: string; error: string; retryable: boolean }[];
}

/**
 * One kind of channel, registered under the `type` name redline.yaml uses.
 * `settings` is the zod schema of its settings (output type S); `identity` names the
 * destination (URL, mailbox, file) so a channel keeps its id when the list is reordered.
 */
export interface ChannelKind<S = unknown> {
  type: string;
  /** One line for `redline alerts --help`-style listings. */
  description: string;
  settings: ZodType<S>;
  identity(settings: S): string;
  /** Resolves when the receiver has accepted the alert; otherwise throws a DeliveryError. */
  deliver(alert: Alert, settings: S, ctx: DeliveryContext): Promise<void>;
}

/** A validated channel from redline.yaml, ready for the outbox. */
export interface ResolvedChannel {
  id: string;
  /** Position in the `alerts:` list (for messages). */
  index: number;
  type: string;
  sources: string[];
  tags: string[];
  settings: unknown;
  kind: ChannelKind<any>;
  /** Directory of the config file; relative paths in settings resolve against it. */
  baseDir: string;
  /** Longest a single delivery may take before it is abandoned and retried. */
  timeoutMs: number;
}
