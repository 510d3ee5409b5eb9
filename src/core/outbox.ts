/** The watch list's alert channels, validated, behind one durable outbox in the archive. */
import type { RedlineConfig } from '../config/types.js';
import { ConfigError } from '../config/index.js';
import { Outbox, validateChannels, type OutboxLogger } from '../alert/index.js';
import type { DeliverResult } from '../alert/types.js';

export interface OpenedAlerts {
  outbox: Outbox;
  /** Deliver everything due now (one round; failures are rescheduled by the outbox). */
  deliverNow(): Promise<DeliverResult>;
}

/** The resolved channels of a watch list loaded by loadWatchList (which reported any problem). */
export function checkChannels(config: RedlineConfig) {
  const { channels, problems } = validateChannels(config.alerts, config.file, { sourceIds: config.sources.map((s) => s.id) });
  if (problems.length) {
    throw new ConfigError(problems.map((p) => ({
      file: p.file, line: 0, column: 0, path: `alerts[${p.index}].${p.field}`, message: `(${p.type || 'no type'}) ${p.message}`,
    })));
  }
  return channels;
}

/** Undefined when the watch list has no alert channels. */
export async function openAlertsFor(config: RedlineConfig, logger?: OutboxLogger): Promise<OpenedAlerts | undefined> {
  if (config.alerts.length === 0) return undefined;
  const outbox = new Outbox({ archive: config.archive, channels: checkChannels(config), logger });
  return { outbox, deliverNow: () => outbox.deliverDue(new Date()) };
}
