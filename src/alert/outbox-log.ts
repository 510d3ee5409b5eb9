/**
 * The outbox's append-only state log, outbox/deliveries.jsonl.
 *
 * Why a log and not one file per delivery moved between pending/ delivered/ dead/:
 * a state change here is one appended line (one write + fdatasync), so a crash leaves
 * either the old state or the new one, and a torn last line is recognisable (no
 * newline) and cut off on the next locked open. Moving files between folders needs a
 * write plus a rename plus an unlink per change, and a crash between them leaves the
 * same delivery in two folders with no record of which is newer. The log also keeps the
 * history of every attempt for `redline alerts`. It is compacted (rewritten as one line
 * per alert and per delivery, temp + fsync + rename) once superseded lines dominate.
 *
 * Readers that hold no lock (status) ignore a torn tail instead of repairing it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileDurable } from './fsutil.js';
import type { AlertEvent, DeliveryState } from './types.js';

export interface Owner {
  pid: number;
  host: string;
  /** Distinguishes two Outbox objects in one process. */
  instance: string;
}

export interface EnqueueLine {
  op: 'enqueue';
  key: string;
  /** Alert JSON, relative to the outbox directory. */
  file: string;
  channels: string[];
  source: string;
  event: AlertEvent;
  summary: string;
  time: string;
}

export interface StateLine {
  op: 'state';
  key: string;
  channel: string;
  state: DeliveryState;
  /** Attempts started so far (0 = never tried). */
  attempt: number;
  time: string;
  error?: string;
  nextAttemptAt?: string;
  /** For 'sending': the claim lapses at this time (or when the owner process is gone). */
  leaseUntil?: string;
  owner?: Owner;
  deliveredAt?: string;
}

export type LogLine = EnqueueLine | StateLine;

export interface AlertRecord {
  key: string;
  file: string;
  channels: string[];
  source: string;
  event: AlertEvent;
  summary: string;
  enqueuedAt: string;
}

export interface DeliveryRecord {
  key: string;
  channel: string;
  state: DeliveryState;
  attempt: number;
  updatedAt: string;
  lastError?: string;
  nextAttemptAt?: string;
  leaseUntil?: string;
  owner?: Owner;
  deliveredAt?: string;
}

export interface RetiredAlert {
  alert: AlertRecord;
  deliveries: DeliveryRecord[];
}

export interface Retire {
  /** The newest this many alerts stay whatever their state, for `redline alerts` to list. */
  keep: number;
  /** Keep the retired alerts elsewhere, durably; runs before the log is rewritten without them. */
  save(alerts: RetiredAlert[]): Promise<void>;
}

export function deliveryId(key: string, channel: string): string {
  return `${key}\n${channel}`;
}


export class OutboxLog {
  readonly alerts = new Map<string, AlertRecord>();
  readonly deliveries = new Map<string, DeliveryRecord>();
  /** Alert files known to the log (relative paths). */
  readonly files = new Set<string>();
  private offset = 0;
  private ino = -1;
  private lines = 0;
  /** Line count before which compactIfNeeded does not look again. */
  private lookAgainAt = 0;

  constructor(
    readonly file: string,
    private readonly warn: (msg: string) => void = () => undefined,
    /** Below this many lines the log is never rewritten: small logs are cheap to replay. */
    private readonly compactMinLines = 2_000,
  ) {}

  private reset(): void {
    this.alerts.clear();
    this.deliveries.clear();
    this.files.clear();
    this.offset = 0;
    this.lines = 0;
    this.lookAgainAt = 0;
  }

  /**
   * Read what was appended since the last call (by this or another process). With
   * `repair` (caller holds the lock), a torn last line is cut off the file.
   */
  async refresh(repair: boolean): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, repair ? 'r+' : 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.reset();
      this.ino = -1;
      return;
    }
    try {
      const stat = await handle.stat();
      // A compaction by another process replaced the file: start over from its first line.
      if (stat.ino !== this.ino || stat.size < this.offset) {
        this.reset();
        this.ino = stat.ino;
      }
      if (stat.size === this.offset) return;
      const buf = Buffer.alloc(stat.size - this.offset);
      await handle.read(buf, 0, buf.length, this.offset);
      const end = buf.lastIndexOf(0x0a) + 1;
      const text = buf.subarray(0, end).toString('utf8');
      for (const line of text.split('\n')) {
        if (line === '') continue;
        this.lines++;
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch (err) {
          throw new Error(
            `${this.file}:${this.lines}: unreadable outbox record (${(err as Error).message}). ` +
              `The file was edited or damaged; fix or delete that line, then restart.`,
          );
        }
        this.apply(parsed);
      }
      this.offset += end;
      if (end < buf.length && repair) {
        // Only a writer that died mid-append leaves this; it never finished, so nothing depended on it.
        await handle.truncate(this.offset);
        await handle.sync();
        this.warn(`${this.file}: cut a torn last record (${buf.length - end} bytes) left by an interrupted write`);
      }
    } finally {
      await handle.close();
    }
  }

  apply(line: LogLine): void {
    if (line.op === 'enqueue') {
      if (this.alerts.has(line.key)) return;
      this.alerts.set(line.key, {
        key: line.key,
        file: line.file,
        channels: line.channels,
        source: line.source,
        event: line.event,
        summary: line.summary,
        enqueuedAt: line.time,
      });
      this.files.add(line.file);
      for (const channel of line.channels) {
        this.deliveries.set(deliveryId(line.key, channel), { key: line.key, channel, state: 'pending', attempt: 0, updatedAt: line.time });
      }
    } else if (line.op === 'state') {
      // Each state line carries the whole state: applying it replaces, never merges.
      this.deliveries.set(deliveryId(line.key, line.channel), {
        key: line.key,
        channel: line.channel,
        state: line.state,
        attempt: line.attempt,
        updatedAt: line.time,
        lastError: line.error,
        nextAttemptAt: line.nextAttemptAt,
        leaseUntil: line.leaseUntil,
        owner: line.owner,
        deliveredAt: line.deliveredAt,
      });
    }
    // Unknown ops come from a newer Redline; skipping them keeps an older one working.
  }

  /** Append lines in one write, fsync, then apply them. Caller holds the lock and has refreshed. */
  async append(lines: LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    const data = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const handle = await fs.open(this.file, 'a');
    try {
      await handle.write(data);
      await handle.datasync();
      const stat = await handle.stat();
      if (this.ino !== stat.ino) {
        // First write created the file.
        this.ino = stat.ino;
        await fsyncDir(path.dirname(this.file));
      }
    } finally {
      await handle.close();
    }
    this.offset += Buffer.byteLength(data);
    for (const l of lines) {
      this.lines++;
      this.apply(l);
    }
  }

  /**
   * Rewrite as current state only, when superseded lines dominate. With `retire`, alerts whose
   * every delivery is delivered, apart from the newest `retire.keep`, are left out too, after
   * `retire.save` has kept them elsewhere (outbox-retire.ts). Caller holds the lock.
   */
  async compactIfNeeded(retire?: Retire): Promise<boolean> {
    if (this.lines < Math.max(this.compactMinLines, this.lookAgainAt)) return false;
    const retired = retire ? this.retirable(retire.keep) : [];
    const live = this.alerts.size - retired.length + this.deliveries.size - retired.reduce((n, r) => n + r.deliveries.length, 0);
    if (this.lines < 3 * live) {
      // Each look is a pass over every record: look again when the log has grown enough to
      // pass the test as things stand, or by a tenth, whichever comes first (deliveries that
      // finish meanwhile make more alerts retirable).
      this.lookAgainAt = Math.min(3 * live, this.lines + Math.max(100, Math.ceil(this.lines / 10)));
      return false;
    }
    if (retired.length > 0) await retire!.save(retired);
    for (const { alert, deliveries } of retired) {
      this.alerts.delete(alert.key);
      this.files.delete(alert.file);
      for (const d of deliveries) this.deliveries.delete(deliveryId(d.key, d.channel));
    }
    const out: LogLine[] = [];
    for (const a of this.alerts.values()) {
      out.push({ op: 'enqueue', key: a.key, file: a.file, channels: a.channels, source: a.source, event: a.event, summary: a.summary, time: a.enqueuedAt });
    }
    for (const d of this.deliveries.values()) {
      if (d.state === 'pending' && d.attempt === 0 && !d.lastError && !d.nextAttemptAt) continue;
      out.push(stateLine(d));
    }
    const data = out.map((l) => JSON.stringify(l)).join('\n') + (out.length ? '\n' : '');
    await writeFileDurable(this.file, data);
    const stat = await fs.stat(this.file);
    this.ino = stat.ino;
    this.offset = stat.size;
    this.lines = out.length;
    this.lookAgainAt = 0;
    return true;
  }

  /** Fully delivered alerts older than the newest `keep`, oldest first, with their deliveries. */
  private retirable(keep: number): RetiredAlert[] {
    const out: RetiredAlert[] = [];
    let left = this.alerts.size - keep;
    for (const alert of this.alerts.values()) {
      if (left-- <= 0) break;
      const deliveries: DeliveryRecord[] = [];
      for (const channel of alert.channels) {
        const d = this.deliveries.get(deliveryId(alert.key, channel));
        if (d) deliveries.push(d);
      }
      // An alert routed to no channel has nothing left to do either.
      if (deliveries.length === alert.channels.length && deliveries.every((d) => d.state === 'delivered')) out.push({ alert, deliveries });
    }
    return out;
  }
}

export function stateLine(d: DeliveryRecord): StateLine {
  const line: StateLine = { op: 'state', key: d.key, channel: d.channel, state: d.state, attempt: d.attempt, time: d.updatedAt };
  if (d.lastError !== undefined) line.error = d.lastError;
  if (d.nextAttemptAt !== undefined) line.nextAttemptAt = d.nextAttemptAt;
  if (d.leaseUntil !== undefined) line.leaseUntil = d.leaseUntil;
  if (d.owner !== undefined) line.owner = d.owner;
  if (d.deliveredAt !== undefined) line.deliveredAt = d.deliveredAt;
  return line;
}
