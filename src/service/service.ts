/**
 * The long-running service behind `redline watch`: the scheduler, an outbox delivery loop,
 * watch-list reloads (SIGHUP or a file edit, validated before anything changes) and a graceful
 * stop on SIGTERM/SIGINT (no new work, in-flight checks finish or are abandoned after a grace
 * period, a final outbox flush) that resolves so the CLI can exit 0.
 */
import type { RedlineConfig } from '../config/types.js';
import { systemTimezone } from './cron-time.js';
import { watchFileChanges, type FileWatch } from './file-watch.js';
import { startStatusSummary, type StatusSummary } from './log.js';
import { createScheduler } from './scheduler.js';
import type { CheckDone, CheckFn, Logger, PreparedReload, SchedulerStats, StopReport } from './types.js';
import { indexSources } from './watchlist.js';

export interface Outbox {
  deliverDue(now: Date): Promise<unknown>;
}

export interface ServiceOptions {
  loadConfig: () => Promise<RedlineConfig>;
  /** The file watched for edits (default: the loaded config's `file`). */
  configPath?: string;
  /** Builds the check for a (re)loaded config. */
  makeCheck: (config: RedlineConfig) => CheckFn | Promise<CheckFn>;
  /**
   * Validates what else a reloaded config changes (alert channels) before anything changes:
   * throw to refuse the reload (logged; the old list keeps running), else return what to commit.
   */
  prepareReload?: (next: RedlineConfig, current: RedlineConfig) => PreparedReload | undefined | Promise<PreparedReload | undefined>;
  /** Drained every outboxIntervalMs; one whose channels a reload can change may have nothing to do for a while. */
  outbox?: Outbox;
  logger: Logger;
  /** Handle SIGTERM/SIGINT/SIGHUP (default true). */
  signals?: boolean;
  lastCheckedAt?: (id: string) => Promise<Date | undefined>;
  /** Checks in flight at once across all hosts (default 16; per-host limits are the fetch layer's). */
  concurrency?: number;
  jitterMs?: number;
  /** A check's signal is aborted after this long (default 10 min). */
  checkTimeoutMs?: number;
  /** How long a stop waits for in-flight checks before aborting them (default 30 s). */
  graceMs?: number;
  /** Outbox delivery period (default 5 s); a check that produced alerts also triggers one. */
  outboxIntervalMs?: number;
  /** Bound on the final outbox flush at stop (default 15 s). */
  flushTimeoutMs?: number;
  /** Reload when the config file changes (default true). */
  watchConfig?: boolean;
  watchDebounceMs?: number;
  /** A periodic one-line summary for a person at a terminal; `write` gets the line without its newline. */
  status?: { write(line: string): void; intervalMs?: number };
}

export interface ServiceStats extends SchedulerStats {
  /** Checks that finished (either way). */
  checked: number;
  /** Checks whose outcome was a changed text. */
  changed: number;
  /** Alerts the checks reported producing. */
  alerts: number;
  /** Checks that threw plus checks that reported outcome "failed". */
  checksFailed: number;
  reloads: number;
  reloadFailures: number;
  deliveryRuns: number;
  deliveryFailures: number;
}

export interface ServiceHandle {
  /** The config currently running. */
  readonly config: RedlineConfig;
  /** Resolves once the service has stopped, whoever stopped it. */
  readonly done: Promise<StopReport>;
  stop(options?: { graceMs?: number }): Promise<StopReport>;
  /** Loads, validates and applies the watch list; false (old list kept, error logged) on a bad one. */
  reload(reason?: string): Promise<boolean>;
  /** Runs one outbox delivery pass now (joins a pass already running). */
  deliver(): Promise<void>;
  stats(): ServiceStats;
}

function field(result: unknown, key: string): unknown {
  return typeof result === 'object' && result !== null ? (result as Record<string, unknown>)[key] : undefined;
}

function alertCount(result: unknown): number {
  const alerts = field(result, 'alerts');
  if (typeof alerts === 'number' && Number.isFinite(alerts)) return alerts;
  return Array.isArray(alerts) ? alerts.length : 0;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runService(options: ServiceOptions): Promise<ServiceHandle> {
  const log = options.logger;
  let config = await options.loadConfig();
  let check = await options.makeCheck(config);
  const configPath = options.configPath ?? config.file;
  const counts = { checked: 0, changed: 0, alerts: 0, checksFailed: 0, reloads: 0, reloadFailures: 0, deliveryRuns: 0, deliveryFailures: 0 };

  const onCheckDone = (done: CheckDone) => {
    counts.checked++;
    const outcome = field(done.result, 'outcome');
    if (done.error !== undefined || outcome === 'failed') counts.checksFailed++;
    if (outcome === 'changed' || field(done.result, 'changed') === true) counts.changed++;
    const alerts = alertCount(done.result);
    if (alerts > 0) {
      counts.alerts += alerts;
      void deliver();
    }
  };

  const scheduler = createScheduler({
    sources: config.sources,
    timezone: config.timezone ?? systemTimezone(),
    defaultSchedule: config.defaults.schedule,
    runCheck: (source, ctx) => check(source, ctx),
    concurrency: options.concurrency ?? 16,
    jitterMs: options.jitterMs,
    checkTimeoutMs: options.checkTimeoutMs ?? 600_000,
    lastCheckedAt: options.lastCheckedAt,
    logger: log,
    onCheckDone,
  });

  // Outbox delivery: one pass at a time; a request during a pass schedules exactly one more.
  let delivering: Promise<void> | undefined;
  let again = false;
  function deliver(): Promise<void> {
    const outbox = options.outbox;
    if (!outbox) return Promise.resolve();
    if (delivering) {
      again = true;
      return delivering;
    }
    delivering = (async () => {
      do {
        again = false;
        counts.deliveryRuns++;
        try {
          await outbox.deliverDue(new Date());
        } catch (error) {
          counts.deliveryFailures++;
          log.warn({ err: error }, 'outbox delivery pass failed; alerts stay queued and are retried on the next pass');
        }
      } while (again);
    })().finally(() => {
      delivering = undefined;
    });
    return delivering;
  }
  const deliveryTimer = options.outbox ? setInterval(() => void deliver(), options.outboxIntervalMs ?? 5000) : undefined;

  // Reloads run one at a time; requests arriving during one collapse into a single follow-up.
  let runningReload: Promise<boolean> | undefined;
  let queuedReload: Promise<boolean> | undefined;
  let stopped = false;
  async function applyReload(reason: string): Promise<boolean> {
    const where = { file: configPath, reason };
    let next: RedlineConfig;
    let nextCheck: CheckFn;
    let extra: PreparedReload | undefined;
    try {
      next = await options.loadConfig();
      indexSources(next.sources, next.defaults.schedule, next.timezone ?? systemTimezone());
      extra = await options.prepareReload?.(next, config);
      nextCheck = await options.makeCheck(next);
    } catch (error) {
      counts.reloadFailures++;
      log.error(
        { ...where, error: message(error), sources: config.sources.length },
        'config reload failed; the previous watch list keeps running. Fix the file and save it again (or send SIGHUP)',
      );
      return false;
    }
    if (stopped) return false;
    const previousCheck = check;
    check = nextCheck;
    // The scheduler takes the new list synchronously at the start of its reload: commit the
    // extras in the same turn, so checks and alerts switch over together.
    extra?.commit();
    try {
      const report = await scheduler.reload(next.sources, { timezone: next.timezone ?? systemTimezone() });
      config = next;
      counts.reloads++;
      log.info({ ...where, sources: next.sources.length, ...report }, 'watch list reloaded');
      // Deliveries a channel change settled (removed → dead, new settings → due now) go at once.
      if (extra) void deliver();
      return true;
    } catch (error) {
      check = previousCheck;
      extra?.undo();
      counts.reloadFailures++;
      log.error({ ...where, error: message(error) }, 'config reload failed; the previous watch list keeps running');
      return false;
    }
  }
  function reload(reason = 'requested'): Promise<boolean> {
    if (stopped) return Promise.resolve(false);
    // A request waiting behind a running reload already covers this one: it reads the file afresh.
    if (queuedReload) return queuedReload;
    if (!runningReload) {
      runningReload = applyReload(reason).finally(() => (runningReload = undefined));
      return runningReload;
    }
    queuedReload = runningReload.then(() => {
      queuedReload = undefined;
      runningReload = applyReload(reason).finally(() => (runningReload = undefined));
      return runningReload;
    });
    return queuedReload;
  }

  const watcher: FileWatch | undefined =
    options.watchConfig === false
      ? undefined
      : watchFileChanges(configPath, () => void reload('file changed'), { debounceMs: options.watchDebounceMs, logger: log });

  const summary: StatusSummary | undefined = options.status
    ? startStatusSummary({ counts: () => statusCounts(), write: options.status.write, intervalMs: options.status.intervalMs })
    : undefined;

  function stats(): ServiceStats {
    return { ...scheduler.stats(), ...counts };
  }
  function statusCounts() {
    const s = stats();
    return { sources: s.sources, checked: s.checked, changed: s.changed, failed: s.checksFailed, queued: s.queued, running: s.running };
  }

  let stopping: Promise<StopReport> | undefined;
  let resolveDone: (report: StopReport) => void = () => {};
  const done = new Promise<StopReport>((resolve) => (resolveDone = resolve));

  function stop(stopOptions: { graceMs?: number } = {}): Promise<StopReport> {
    if (stopping) {
      if (stopOptions.graceMs === 0) void scheduler.stop({ graceMs: 0 });
      return stopping;
    }
    stopped = true;
    stopping = (async () => {
      watcher?.close();
      const report = await scheduler.stop({ graceMs: stopOptions.graceMs ?? options.graceMs ?? 30_000 });
      if (deliveryTimer) clearInterval(deliveryTimer);
      if (options.outbox) {
        const flushMs = options.flushTimeoutMs ?? 15_000;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          (async () => {
            await delivering;
            await deliver();
            return false;
          })(),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), flushMs))),
        ]);
        clearTimeout(timer);
        if (timedOut) log.warn({ flushMs }, 'final outbox flush did not finish in time; undelivered alerts stay in the outbox for the next start');
      }
      summary?.print();
      summary?.stop();
      removeSignalHandlers();
      log.info({ ...report, ...counts }, 'stopped');
      resolveDone(report);
      return report;
    })();
    return stopping;
  }

  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  function removeSignalHandlers() {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.length = 0;
  }
  if (options.signals !== false) {
    let received = 0;
    const onStop = (signal: NodeJS.Signals) => () => {
      received++;
      if (received === 1) {
        log.info({ signal }, 'stopping: no new checks; waiting for in-flight ones (signal again to abandon them)');
        void stop();
      } else {
        log.warn({ signal }, 'second stop signal: abandoning in-flight checks');
        void stop({ graceMs: 0 });
      }
    };
    handlers.push(['SIGTERM', onStop('SIGTERM')], ['SIGINT', onStop('SIGINT')]);
    if (process.platform !== 'win32') handlers.push(['SIGHUP', () => void reload('SIGHUP')]);
    for (const [signal, handler] of handlers) process.on(signal, handler);
  }

  try {
    await scheduler.start();
  } catch (error) {
    await stop({ graceMs: 0 });
    throw error;
  }
  log.info({ file: configPath, sources: config.sources.length, groups: scheduler.stats().groups }, 'watching');
  summary?.print();

  return {
    get config() {
      return config;
    },
    done,
    stop,
    reload,
    deliver,
    stats,
  };
}
