/** Read-only view of the outbox for `redline alerts`; needs no lock and no channel config. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { OutboxLog } from './outbox-log.js';
import type { DeliveryView, OutboxStatus } from './types.js';

export async function readOutboxStatus(archive: string): Promise<OutboxStatus> {
  const log = new OutboxLog(path.join(archive, 'outbox', 'deliveries.jsonl'));
  await log.refresh(false);
  const status: OutboxStatus = { pending: [], delivered: [], dead: [] };
  let next: string | undefined;
  for (const d of log.deliveries.values()) {
    const a = log.alerts.get(d.key);
    const view: DeliveryView = {
      key: d.key,
      channel: d.channel,
      state: d.state,
      attempts: d.attempt,
      source: a?.source ?? '',
      event: a?.event ?? 'changed',
      summary: a?.summary ?? '',
      enqueuedAt: a?.enqueuedAt ?? d.updatedAt,
      updatedAt: d.updatedAt,
    };
    if (d.lastError !== undefined) view.lastError = d.lastError;
    if (d.deliveredAt !== undefined) view.deliveredAt = d.deliveredAt;
    if (d.state === 'pending' || d.state === 'sending') {
      const due = d.state === 'pending' ? (d.nextAttemptAt ?? view.enqueuedAt) : d.leaseUntil;
      if (due !== undefined) {
        view.nextAttemptAt = due;
        if (next === undefined || due < next) next = due;
      }
      status.pending.push(view);
    } else if (d.state === 'delivered') {
      status.delivered.push(view);
    } else {
      status.dead.push(view);
    }
  }
  const byTime = (x: DeliveryView, y: DeliveryView) => x.enqueuedAt.localeCompare(y.enqueuedAt) || x.key.localeCompare(y.key);
  status.pending.sort(byTime);
  status.delivered.sort(byTime);
  status.dead.sort(byTime);
  if (next !== undefined) status.nextDueAt = next;
  const sentLog = path.join(archive, 'outbox', 'sent.jsonl');
  if (await access(sentLog).then(() => true, () => false)) status.sentLog = sentLog;
  return status;
}
