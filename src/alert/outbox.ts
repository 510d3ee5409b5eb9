/**
 * The durable outbox under <archive>/outbox/: an alert is written to disk before any
 * delivery is tried, each (alert, channel) pair is delivered at least once, with
 * backoff between failures, and ends either delivered or in the visible dead list.
 *
 *   outbox/alerts/ab/<sha256(key)>.json   the alert, written temp + fsync + rename
 *   outbox/deliveries.jsonl               state log (see outbox-log.ts)
 *   outbox/lock                           held only for short read-modify-append steps
 *   outbox/sent/, outbox/sent.jsonl       delivered alerts retired by compaction (outbox-retire.ts)
 *
 * The alert file is the commit point of enqueue: if a process dies after writing it
 * but before logging the enqueue, the next writer finds the unlogged file and enqueues
 * it then. A delivery is marked 'sending' (with a lease) before the send and
 * 'delivered' after; a crash in between leaves a lapsed 'sending' that is sent again
 * (at least once, never lost), and the receiver drops the duplicate by its key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { type BackoffPolicy, DEFAULT_BACKOFF, backoffDelay, validateBackoff } from './backoff.js';
import { toDeliveryError } from './errors.js';
import { writeFileDurable } from './fsutil.js';
import { processAlive, withLock } from './lock.js';
import { type DeliveryRecord, type LogLine, type Owner, OutboxLog, deliveryId } from './outbox-log.js';
import { readOutboxStatus } from './outbox-status.js';
import { retireAlerts, wasSent } from './outbox-retire.js';
import { channelMatches } from './registry.js';
import { oneLine } from './text.js';
import type { Alert, DeliverResult, OutboxStatus, ResolvedChannel } from './types.js';

const EVENTS = new Set(['changed', 'new', 'removed', 'restored', 'failing', 'recovered']);

export interface OutboxLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface OutboxOptions {
  /** The archive directory; the outbox lives in <archive>/outbox. */
  archive: string;
  /**
   * Validated channels (validateChannels); setChannels swaps them later. Deliveries to a channel
   * no longer listed go dead, visibly. With none, nothing is claimed: deliveries wait for a list
   * that has channels again.
   */
  channels: ResolvedChannel[];
  backoff?: Partial<BackoffPolicy>;
  /** Deliveries in flight at once (default 4). */
  concurrency?: number;
  /** Minimum claim time of a 'sending' delivery before another process may take it over (default 10 min). */
  leaseMs?: number;
  /** How long to wait for another process's lock (default 30 s). */
  lockTimeoutMs?: number;
  /** Most deliveries claimed by one deliverDue call (default 1000). */
  batchSize?: number;
  /** Compact the state log once it has this many lines and 3× more than live records (default 2000). */
  compactMinLines?: number;
  /**
   * Compaction retires fully delivered alerts to outbox/sent/ except the newest this many, which
   * `redline alerts` keeps listing (default 200). See outbox-retire.ts.
   */
  keepDelivered?: number;
  random?: () => number;
  stdout?: NodeJS.WritableStream;
  logger?: OutboxLogger;
}

export function outboxDir(archive: string): string {
  return path.join(archive, 'outbox');
}

function alertFile(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex');
  return path.join('alerts', hash.slice(0, 2), `${hash}.json`);
}

function checkAlert(alert: Alert): void {
  const bad = (what: string) => new TypeError(`cannot enqueue alert ${JSON.stringify(alert?.key)}: ${what}`);
  if (!alert || typeof alert.key !== 'string' || alert.key.length === 0 || alert.key.length > 1000) throw bad('key must be a non-empty string of at most 1000 characters');
  if (!EVENTS.has(alert.event)) throw bad(`unknown event ${JSON.stringify(alert.event)}`);
  if (typeof alert.source !== 'string' || !alert.source) throw bad('source is missing');
  if (Number.isNaN(Date.parse(alert.detectedAt))) throw bad(`detectedAt ${JSON.stringify(alert.detectedAt)} is not an ISO 8601 time`);
}

/** What setChannels changed, by channel id. */
export interface ChannelChanges {
  added: string[];
  removed: string[];
  /** Same id, different settings, routing or type. */
  changed: string[];
}

/** Everything that decides where and how a channel delivers; ids are equal already. */
function sameChannel(a: ResolvedChannel, b: ResolvedChannel): boolean {
  const shape = (c: ResolvedChannel) => JSON.stringify([c.type, c.sources, c.tags, c.settings, c.baseDir, c.timeoutMs]);
  return shape(a) === shape(b);
}

interface Claim {
  rec: DeliveryRecord;
  channel: ResolvedChannel;
  attempt: number;
  file: string;
}

export class Outbox {
  readonly dir: string;
  private readonly log: OutboxLog;
  private readonly lockPath: string;
  private channelList: ResolvedChannel[];
  private channels: Map<string, ResolvedChannel>;
  /** Wall-clock time a channel id was last removed or given new settings by setChannels. */
  private readonly swappedAt = new Map<string, number>();
  private readonly policy: BackoffPolicy;
  private readonly owner: Owner;
  private readonly inFlight = new Set<string>();
  private recovered = false;

  constructor(private readonly opts: OutboxOptions) {
    this.dir = outboxDir(opts.archive);
    this.log = new OutboxLog(path.join(this.dir, 'deliveries.jsonl'), (msg) => opts.logger?.warn({ outbox: this.dir }, msg), opts.compactMinLines);
    this.lockPath = path.join(this.dir, 'lock');
    this.channelList = [...opts.channels];
    this.channels = new Map(opts.channels.map((c) => [c.id, c]));
    this.policy = { ...DEFAULT_BACKOFF, ...opts.backoff };
    validateBackoff(this.policy);
    this.owner = { pid: process.pid, host: os.hostname(), instance: randomBytes(6).toString('hex') };
  }

  /** Run `fn` with the lock held and the in-memory state caught up with the log. */
  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(
      this.lockPath,
      async ({ brokeStale }) => {
        await this.log.refresh(true);
        // Recovery routes orphans with this object's channels; an Outbox opened without any
        // (e.g. just to retry) must leave them for one that knows where they go.
        if ((!this.recovered || brokeStale) && this.channelList.length > 0) {
          await this.recoverOrphans();
          this.recovered = true;
        }
        const result = await fn();
        try {
          await this.log.compactIfNeeded({ keep: this.opts.keepDelivered ?? 200, save: (alerts) => retireAlerts(this.dir, alerts) });
        } catch (err) {
          // fn's change is on disk already; a compaction that failed (disk full) is tried again later.
          this.opts.logger?.warn({ outbox: this.dir }, `outbox: could not compact ${this.log.file}: ${(err as Error).message}`);
        }
        return result;
      },
      this.opts.lockTimeoutMs,
    );
  }

  private route(alert: Alert): string[] {
    return this.channelList.filter((c) => channelMatches(c, alert)).map((c) => c.id);
  }

  /** The channels now in use, in list order. */
  currentChannels(): readonly ResolvedChannel[] {
    return this.channelList;
  }

  /**
   * Swap to a new validated channel list (a watch-list reload). Keyed by channel id: a queued
   * delivery whose channel id is still listed is sent with the new settings on its next attempt,
   * and is due at once rather than after a backoff earned under the old ones (a fixed password or
   * URL should not wait); one whose channel id is gone goes dead on the next delivery round with
   * the usual "no longer in the alerts list" message. New alerts are routed with the new list.
   * A delivery already being sent keeps the channel object it was claimed with and finishes on
   * the old settings; its result is recorded under the same id, which is what the log needs.
   */
  setChannels(channels: ResolvedChannel[]): ChannelChanges {
    const next = new Map(channels.map((c) => [c.id, c]));
    if (next.size !== channels.length) throw new TypeError('setChannels: two channels share an id; validateChannels reports this, use its result');
    const changes: ChannelChanges = { added: [], removed: [], changed: [] };
    const now = Date.now();
    for (const [id, c] of next) {
      const before = this.channels.get(id);
      if (!before) changes.added.push(id);
      else if (!sameChannel(before, c)) changes.changed.push(id);
    }
    for (const id of this.channels.keys()) if (!next.has(id)) changes.removed.push(id);
    for (const id of [...changes.removed, ...changes.changed]) this.swappedAt.set(id, now);
    // A channel that comes back must not inherit the hurry of an earlier removal.
    for (const id of changes.added) this.swappedAt.delete(id);
    this.channelList = [...channels];
    this.channels = next;
    return changes;
  }

  private enqueueLine(alert: Alert, file: string, now: string): LogLine {
    return { op: 'enqueue', key: alert.key, file, channels: this.route(alert), source: alert.source, event: alert.event, summary: oneLine(alert.summary).slice(0, 500), time: now };
  }

  /** Alert files a dead writer stored but never logged: enqueue them now. */
  private async recoverOrphans(): Promise<void> {
    const root = path.join(this.dir, 'alerts');
    let shards: string[];
    try {
      shards = await fs.readdir(root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const lines: LogLine[] = [];
    for (const shard of shards) {
      for (const name of await fs.readdir(path.join(root, shard))) {
        if (name.startsWith('.') || !name.endsWith('.json')) continue;
        const rel = path.join('alerts', shard, name);
        if (this.log.files.has(rel)) continue;
        let alert: Alert;
        try {
          alert = JSON.parse(await fs.readFile(path.join(this.dir, rel), 'utf8')) as Alert;
          checkAlert(alert);
        } catch (err) {
          this.opts.logger?.warn({ file: path.join(this.dir, rel) }, `outbox: skipping unreadable alert file (${(err as Error).message})`);
          continue;
        }
        if (this.log.alerts.has(alert.key)) continue;
        lines.push(this.enqueueLine(alert, rel, new Date().toISOString()));
        this.opts.logger?.info({ key: alert.key }, 'outbox: queued an alert whose enqueue was interrupted');
      }
    }
    await this.log.append(lines);
  }

  /**
   * Store the alert durably and queue one delivery per matching channel. A known key is a no-op:
   * `channels` then says where it was routed, or is empty when it was delivered and retired.
   */
  async enqueue(alert: Alert): Promise<{ enqueued: boolean; channels: string[] }> {
    checkAlert(alert);
    return this.locked(async () => {
      const known = this.log.alerts.get(alert.key);
      if (known) return { enqueued: false, channels: known.channels };
      const file = alertFile(alert.key);
      if (await wasSent(this.dir, file)) return { enqueued: false, channels: [] };
      await writeFileDurable(path.join(this.dir, file), JSON.stringify(alert));
      const line = this.enqueueLine(alert, file, new Date().toISOString());
      await this.log.append([line]);
      return { enqueued: true, channels: (line as { channels: string[] }).channels };
    });
  }

  private leaseLapsed(rec: DeliveryRecord, now: number): boolean {
    const o = rec.owner;
    if (o && o.instance === this.owner.instance) return !this.inFlight.has(deliveryId(rec.key, rec.channel));
    if (o && o.host === this.owner.host && !processAlive(o.pid)) return true;
    return rec.leaseUntil === undefined || Date.parse(rec.leaseUntil) <= now;
  }

  /** A pending delivery waiting out a backoff is due at once when its channel was removed or changed since. */
  private settledBySwap(rec: DeliveryRecord): boolean {
    if (!this.channels.has(rec.channel)) return true;
    const swapped = this.swappedAt.get(rec.channel);
    return swapped !== undefined && Date.parse(rec.updatedAt) < swapped;
  }

  private async claim(now: Date): Promise<Claim[]> {
    return this.locked(async () => {
      // No channels at all reads as "alerts switched off for now", not "every channel removed":
      // deliveries stay pending for a list that has channels again, as across a restart.
      if (this.channelList.length === 0) return [];
      const t = now.getTime();
      const due: DeliveryRecord[] = [];
      for (const rec of this.log.deliveries.values()) {
        if (this.inFlight.has(deliveryId(rec.key, rec.channel))) continue;
        if (rec.state === 'pending' && (!rec.nextAttemptAt || Date.parse(rec.nextAttemptAt) <= t || this.settledBySwap(rec))) due.push(rec);
        else if (rec.state === 'sending' && this.leaseLapsed(rec, t)) due.push(rec);
      }
      due.sort((a, b) => (a.nextAttemptAt ?? a.updatedAt).localeCompare(b.nextAttemptAt ?? b.updatedAt));
      const stamp = new Date().toISOString();
      const lines: LogLine[] = [];
      const claims: Claim[] = [];
      for (const rec of due.slice(0, this.opts.batchSize ?? 1000)) {
        const base = { op: 'state' as const, key: rec.key, channel: rec.channel, time: stamp };
        const channel = this.channels.get(rec.channel);
        if (!channel) {
          const error = `channel ${rec.channel} is no longer in the alerts list of redline.yaml; put it back and run \`redline alerts --retry\``;
          lines.push({ ...base, state: 'dead', attempt: rec.attempt, error });
          this.opts.logger?.warn({ key: rec.key, channel: rec.channel }, `alert delivery dead: ${error}`);
          continue;
        }
        if (rec.attempt >= this.policy.maxAttempts) {
          const error = `${rec.lastError ?? 'no answer'}; the process stopped during attempt ${rec.attempt} and no attempts are left`;
          lines.push({ ...base, state: 'dead', attempt: rec.attempt, error });
          continue;
        }
        const attempt = rec.attempt + 1;
        const leaseUntil = new Date(t + Math.max(this.opts.leaseMs ?? 600_000, channel.timeoutMs * 2)).toISOString();
        lines.push({ ...base, state: 'sending', attempt, error: rec.lastError, leaseUntil, owner: this.owner });
        claims.push({ rec, channel, attempt, file: this.log.alerts.get(rec.key)?.file ?? alertFile(rec.key) });
      }
      await this.log.append(lines);
      for (const c of claims) this.inFlight.add(deliveryId(c.rec.key, c.rec.channel));
      return claims;
    });
  }

  private async attempt(c: Claim, signal: AbortSignal | undefined): Promise<{ ok: true } | { ok: false; error: string; retryable: boolean; retryAfterMs?: number }> {
    let alert: Alert;
    try {
      alert = JSON.parse(await fs.readFile(path.join(this.dir, c.file), 'utf8')) as Alert;
    } catch (err) {
      return { ok: false, retryable: false, error: `alert file ${path.join(this.dir, c.file)} is unreadable: ${(err as Error).message}` };
    }
    const guard = new AbortController();
    // Channels enforce their own timeouts; this outer bound catches one that does not.
    const limit = c.channel.timeoutMs * 2 + 1_000;
    const timer = setTimeout(() => guard.abort(new Error(`no result within ${limit} ms`)), limit);
    const onStop = () => guard.abort(new Error('shutting down'));
    signal?.addEventListener('abort', onStop, { once: true });
    const aborted = new Promise<never>((_, reject) => guard.signal.addEventListener('abort', () => reject(guard.signal.reason), { once: true }));
    try {
      const ctx = { key: c.rec.key, channelId: c.channel.id, attempt: c.attempt, signal: guard.signal, baseDir: c.channel.baseDir, stdout: this.opts.stdout ?? process.stdout };
      await Promise.race([c.channel.kind.deliver(alert, c.channel.settings, ctx), aborted]);
      return { ok: true };
    } catch (err) {
      const e = toDeliveryError(err, `${c.channel.id}`);
      return { ok: false, error: oneLine(e.message).slice(0, 1000), retryable: e.retryable, retryAfterMs: e.retryAfterMs };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onStop);
      aborted.catch(() => undefined);
    }
  }

  /**
   * Deliver everything due at `now`: pending deliveries whose time has come and claims
   * left by a process that died mid-send. Returns what happened this round.
   */
  async deliverDue(now: Date = new Date(), opts: { signal?: AbortSignal } = {}): Promise<DeliverResult> {
    const started = Date.now();
    const claims = await this.claim(now);
    const result: DeliverResult = { attempted: claims.length, delivered: 0, retrying: 0, dead: 0, failures: [] };
    const limit = pLimit(this.opts.concurrency ?? 4);
    await Promise.all(
      claims.map((c) =>
        limit(async () => {
          const outcome = await this.attempt(c, opts.signal);
          // Backoff counts from the caller's clock plus the time this round has taken.
          const at = now.getTime() + (Date.now() - started);
          const base = { op: 'state' as const, key: c.rec.key, channel: c.channel.id, attempt: c.attempt, time: new Date().toISOString() };
          let line: LogLine;
          if (outcome.ok) {
            line = { ...base, state: 'delivered', deliveredAt: base.time };
            result.delivered++;
          } else if (outcome.retryable && c.attempt < this.policy.maxAttempts) {
            const wait = Math.max(backoffDelay(c.attempt, this.policy, this.opts.random), outcome.retryAfterMs ?? 0);
            line = { ...base, state: 'pending', error: outcome.error, nextAttemptAt: new Date(at + wait).toISOString() };
            result.retrying++;
          } else {
            const why = outcome.retryable ? `${outcome.error} (gave up after ${c.attempt} attempts)` : outcome.error;
            line = { ...base, state: 'dead', error: why };
            result.dead++;
          }
          if (!outcome.ok) {
            result.failures.push({ key: c.rec.key, channel: c.channel.id, error: outcome.error, retryable: outcome.retryable });
            this.opts.logger?.warn({ key: c.rec.key, channel: c.channel.id, attempt: c.attempt, state: (line as { state: string }).state }, `alert delivery failed: ${outcome.error}`);
          }
          try {
            await this.locked(() => this.log.append([line]));
          } finally {
            this.inFlight.delete(deliveryId(c.rec.key, c.rec.channel));
          }
        }),
      ),
    );
    return result;
  }

  /** Move dead deliveries (all, one alert's, or one alert's on one channel) back to pending. */
  async retryDead(key?: string, channel?: string): Promise<number> {
    return this.locked(async () => {
      const stamp = new Date().toISOString();
      const lines: LogLine[] = [];
      for (const rec of this.log.deliveries.values()) {
        if (rec.state !== 'dead' || (key !== undefined && rec.key !== key) || (channel !== undefined && rec.channel !== channel)) continue;
        lines.push({ op: 'state', key: rec.key, channel: rec.channel, state: 'pending', attempt: 0, time: stamp, error: rec.lastError, nextAttemptAt: stamp });
      }
      await this.log.append(lines);
      return lines.length;
    });
  }

  /** Pending, delivered and dead deliveries with last error and next attempt (reads without the lock). */
  status(): Promise<OutboxStatus> {
    return readOutboxStatus(this.opts.archive);
  }
}
