/** The watch list's alert channels, validated, behind one durable outbox in the archive. */
import type { RedlineConfig } from '../config/types.js';
import { ConfigError } from '../config/index.js';
import { Outbox, validateChannels, type OutboxLogger } from '../alert/index.js';
import type { ChannelChanges } from '../alert/outbox.js';
import type { Alert, DeliverResult, ResolvedChannel } from '../alert/types.js';
import type { AlertSink } from './context.js';

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

/** A validated channel list waiting for the rest of a reload to succeed. */
export interface PreparedChannels {
  /** Swaps the outbox to the new channels and logs one line naming what changed. */
  commit(): ChannelChanges;
  /** Puts back the channels that were running before commit (the reload failed after all). */
  undo(): void;
}

/**
 * The alert side of `redline watch`, which a reload may change: the outbox is opened the first
 * time the list has channels and then kept (its deliveries belong to the archive, not to one
 * list). While the list has no channels, checks queue nothing (as a start without `alerts:`)
 * and queued deliveries stay pending until channels come back.
 */
export class WatchAlerts implements AlertSink {
  private box: Outbox | undefined;

  private constructor(private readonly archive: string, private readonly logger?: OutboxLogger) {}

  /** Throws ConfigError (file and `alerts[i].field`) when a channel is unusable. */
  static open(config: RedlineConfig, logger?: OutboxLogger): WatchAlerts {
    const alerts = new WatchAlerts(config.archive, logger);
    const channels = checkChannels(config);
    if (channels.length > 0) alerts.box = alerts.newOutbox(channels);
    return alerts;
  }

  private newOutbox(channels: ResolvedChannel[]): Outbox {
    return new Outbox({ archive: this.archive, channels, logger: this.logger });
  }

  /** The outbox, once the list has had channels. */
  get outbox(): Outbox | undefined {
    return this.box;
  }

  /** Where checks queue alerts; undefined while the list has no channels. */
  get sink(): AlertSink | undefined {
    return this.box && this.box.currentChannels().length > 0 ? this : undefined;
  }

  enqueue(alert: Alert): Promise<unknown> {
    if (!this.box) throw new Error(`cannot queue alert ${alert.key}: the watch list has no alert channels`);
    return this.box.enqueue(alert);
  }

  /** One delivery round; nothing to do before the list first had channels. */
  async deliverDue(now: Date): Promise<DeliverResult | undefined> {
    return this.box?.deliverDue(now);
  }

  /**
   * Validates a reloaded list's channels without changing anything (throws ConfigError on any
   * problem, so the caller keeps the old list). The archive is the caller's to keep fixed.
   */
  prepare(config: RedlineConfig): PreparedChannels {
    const channels = checkChannels(config);
    const before = this.box ? [...this.box.currentChannels()] : undefined;
    return {
      commit: () => {
        let changes: ChannelChanges;
        if (this.box) {
          changes = this.box.setChannels(channels);
        } else {
          if (channels.length > 0) this.box = this.newOutbox(channels);
          changes = { added: channels.map((c) => c.id), removed: [], changed: [] };
        }
        const what = changes.added.length + changes.removed.length + changes.changed.length > 0 ? 'alert channels reloaded' : 'alert channels unchanged';
        this.logger?.info({ file: config.file, channels: channels.length, ...changes }, what);
        return changes;
      },
      undo: () => {
        // An outbox opened by commit stays: with the old (empty) list it claims and queues nothing.
        this.box?.setChannels(before ?? []);
      },
    };
  }
}
