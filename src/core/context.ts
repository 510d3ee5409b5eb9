/** Everything a check needs, opened once per process from the watch list. */
import type { RedlineConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import type { Alert } from '../alert/types.js';
import { Fetcher } from '../fetch/index.js';
import { openFsStore } from '../store/index.js';
import { StateCache } from './state.js';
import { DEFAULT_POLICY, type CheckPolicy } from './events.js';

export interface AlertSink {
  /** Durably queues the alert; a key already queued is a no-op. */
  enqueue(alert: Alert): Promise<unknown>;
}

export interface CheckLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface CheckContext {
  config: RedlineConfig;
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  states: StateCache;
  sink?: AlertSink;
  /** Used for a source that carries no policy of its own (hand-built SourceConfigs). */
  policy: CheckPolicy;
  /** Keys fixed for every source by the embedding code (openContext's `policy`), over the watch list's. */
  policyOverride?: Partial<CheckPolicy>;
  now: () => number;
  logger?: CheckLogger;
  /** Sources whose newest entry has been checked for missing alerts in this process. */
  reconciled: Set<string>;
}

export interface OpenOptions {
  store?: Store;
  fetcher?: Pick<Fetcher, 'fetch' | 'close'>;
  sink?: AlertSink;
  /** Overrides every source's removal/failing policy from the watch list (tests, embedding). */
  policy?: Partial<CheckPolicy>;
  now?: () => number;
  logger?: CheckLogger;
}

export interface OpenedContext extends CheckContext {
  close(): Promise<void>;
}

export async function openContext(config: RedlineConfig, opts: OpenOptions = {}): Promise<OpenedContext> {
  const store = opts.store ?? (await openFsStore(config.archive));
  // The watch list is the owner's own file: intranet and loopback sources are theirs to watch.
  const fetcher = opts.fetcher ?? Fetcher.forWatchList({ logger: opts.logger });
  return {
    config,
    store,
    fetcher,
    states: new StateCache(store),
    sink: opts.sink,
    policy: { ...DEFAULT_POLICY, ...opts.policy },
    policyOverride: opts.policy,
    now: opts.now ?? Date.now,
    logger: opts.logger,
    reconciled: new Set(),
    async close() {
      if (!opts.fetcher) await fetcher.close();
      const closable = store as Store & { close?: () => Promise<void> };
      if (!opts.store && closable.close) await closable.close();
    },
  };
}
