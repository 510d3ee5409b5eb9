/**
 * Retiring delivered alerts from the outbox's working set.
 *
 * Why: the outbox holds one record per alert named in deliveries.jsonl, in memory and in the
 * log. Without retiring, a service that runs for months holds every alert it ever sent. When
 * the log is compacted, alerts whose every delivery is delivered (apart from the newest few,
 * which `redline alerts` lists) are left out, after being kept on disk elsewhere:
 *
 *   outbox/sent/ab/<sha256(key)>.json   the alert file, moved from alerts/
 *   outbox/sent.jsonl                   one line per retired alert: who got it, when
 *
 * The order is what makes it crash-safe:
 *  1. sent.jsonl is appended and fdatasync'd, so the delivery record outlives the log rewrite;
 *  2. each alert file is renamed from alerts/ to sent/ and both folders are fsync'd: once the
 *     log no longer names an alert, a file left in alerts/ would be taken for an interrupted
 *     enqueue (Outbox.recoverOrphans) and sent again;
 *  3. the caller rewrites the log without them.
 * A crash between steps repeats them at the next compaction: a file already in sent/ is left
 * there, and sent.jsonl may name the alert twice (same key and deliveries; readers keep one).
 * Outbox.enqueue looks in sent/ for a key it no longer holds, so an alert re-derived after a
 * restart (core/check.ts reconcile) is recognised and not sent twice.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appendDurable, fsyncDir } from './fsutil.js';
import type { RetiredAlert } from './outbox-log.js';
import type { AlertEvent } from './types.js';

/** One line of outbox/sent.jsonl. */
export interface SentRecord {
  key: string;
  source: string;
  event: AlertEvent;
  summary: string;
  enqueuedAt: string;
  /** The alert file, relative to the outbox directory. */
  file: string;
  deliveries: { channel: string; attempts: number; deliveredAt?: string }[];
}

/** Where a retired alert's file lives: the same shard and name as under alerts/. */
export function sentFile(alertFile: string): string {
  return path.join('sent', path.relative('alerts', alertFile));
}

/** True when `key`'s alert file (relative path under alerts/) was retired to sent/. */
export async function wasSent(outboxDir: string, alertFile: string): Promise<boolean> {
  try {
    await fs.access(path.join(outboxDir, sentFile(alertFile)));
    return true;
  } catch {
    return false;
  }
}

/** Steps 1 and 2 above for `alerts`, each with its delivery records; the caller holds the outbox lock. */
export async function retireAlerts(outboxDir: string, alerts: RetiredAlert[]): Promise<void> {
  if (alerts.length === 0) return;
  const records: SentRecord[] = alerts.map(({ alert, deliveries }) => ({
    key: alert.key,
    source: alert.source,
    event: alert.event,
    summary: alert.summary,
    enqueuedAt: alert.enqueuedAt,
    file: sentFile(alert.file),
    deliveries: deliveries.map((d) => ({ channel: d.channel, attempts: d.attempt, ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}) })),
  }));
  const log = path.join(outboxDir, 'sent.jsonl');
  const existed = await fs.access(log).then(() => true, () => false);
  await appendDurable(log, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  if (!existed) await fsyncDir(outboxDir);

  const folders = new Set<string>();
  for (const { alert } of alerts) {
    const from = path.join(outboxDir, alert.file);
    const to = path.join(outboxDir, sentFile(alert.file));
    await fs.mkdir(path.dirname(to), { recursive: true });
    try {
      await fs.rename(from, to);
    } catch (err) {
      // Already moved by a compaction that crashed before rewriting the log.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    folders.add(path.dirname(from));
    folders.add(path.dirname(to));
  }
  // New folders are entries in their parents: sent/ in the outbox, each shard in sent/.
  folders.add(path.join(outboxDir, 'sent'));
  folders.add(outboxDir);
  for (const folder of folders) await fsyncDir(folder);
}
