/** watch: the long-running service (schedule → check → outbox), until SIGTERM/SIGINT. */
import type { Command } from 'commander';
import { loadWatchList } from '../../core/watchlist.js';
import type { RedlineConfig } from '../../config/types.js';
import type { ServiceHandle, ServiceOptions, StopReport } from '../../service/index.js';
import type { Logger } from '../../service/types.js';
import type { WatchAlerts } from '../../core/outbox.js';
import { UsageError, configPath, println } from '../io.js';
import { restartWithMemoryCaps, collectGarbageNow, trimHeapEvery } from '../heap.js';

export interface WatchOptions {
  logger: Logger;
  /** Checks in flight at once across all hosts (default 16). */
  concurrency?: number;
  /** Passed to runService as given (tests turn off signals and the file watch). */
  service?: Partial<Pick<ServiceOptions, 'signals' | 'watchConfig' | 'watchDebounceMs' | 'jitterMs' | 'outboxIntervalMs' | 'graceMs' | 'status'>>;
}

export interface Watching {
  first: RedlineConfig;
  handle: ServiceHandle;
  alerts: WatchAlerts;
  /** Resolves once the service stopped and the archive, fetcher and signer are closed. */
  finished: Promise<StopReport>;
}

/** Everything `redline watch` runs, started over the watch list in `file`. */
export async function startWatch(file: string, opts: WatchOptions): Promise<Watching> {
  const { logger } = opts;
  const first = await loadWatchList(file);
  // Loaded here, not by every command: the CLI's other commands (and --help) do not need them.
  const [{ Fetcher }, { openFsStore }, { runService }, { openContext }, { checkSource }, { WatchAlerts }, { createHeadSigner, readSigningKey }] = await Promise.all([
    import('../../fetch/index.js'), import('../../store/index.js'), import('../../service/index.js'), import('../../core/context.js'),
    import('../../core/check.js'), import('../../core/outbox.js'), import('../../core/signing.js'),
  ]);
  // As `redline check` does: the watch list's parse garbage goes before the first checks start.
  collectGarbageNow();
  const store = await openFsStore(first.archive, { logger });
  const fetcher = Fetcher.forWatchList({ logger });
  const alerts = WatchAlerts.open(first, logger);
  const shared = await openContext(first, { store, fetcher, logger });
  const signingKey = await readSigningKey(first);
  const signer = signingKey
    ? createHeadSigner(store, signingKey, { onError: (err) => logger.error({ err }, 'signing the log heads failed; will retry after the next check') })
    : undefined;
  // A reload keeps the archive, the fetcher's per-host state, the source states and the
  // outbox; the list, its settings and its alert channels change. Moving the archive needs a restart.
  const reload = async (): Promise<RedlineConfig> => {
    const next = await loadWatchList(file);
    if (next.archive !== first.archive) throw new UsageError(`archive moved from ${first.archive} to ${next.archive}: restart "redline watch" to use it`);
    return next;
  };
  // The service asks for the list at start too: hand it the one already loaded (a big list takes a second to parse).
  let initial: RedlineConfig | undefined = first;
  let handle: ServiceHandle;
  try {
    handle = await runService({
      ...opts.service,
      loadConfig: async () => {
        const given = initial;
        initial = undefined;
        return given ?? reload();
      },
      configPath: file,
      prepareReload: (next) => alerts.prepare(next),
      makeCheck: (config) => {
        // Read at each use: a reload swaps the channels without rebuilding running checks.
        const ctx = { ...shared, config, get sink() { return alerts.sink; } };
        return async (source, run) => {
          const outcome = await checkSource(ctx, source, { signal: run.signal });
          signer?.touch();
          return outcome;
        };
      },
      outbox: alerts,
      logger,
      concurrency: opts.concurrency ?? 16,
      lastCheckedAt: async (id) => {
        const head = await store.head(id);
        return head ? new Date(head.time) : undefined;
      },
    });
  } catch (err) {
    await fetcher.close();
    await store.close();
    throw err;
  }
  const finished = handle.done.then(async (report) => {
    await signer?.flush();
    await fetcher.close();
    await store.close();
    return report;
  });
  return { first, handle, alerts, finished };
}

/** How often the service gives back heap V8 holds beyond its needs (see trimHeapEvery). */
const HEAP_TRIM_MS = 2 * 60_000;

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('run the scheduler: check each source on its cron schedule and deliver alerts, until stopped')
    .option('--verbose', 'log every check (JSON lines) even on a terminal')
    .option('--concurrency <n>', 'checks in flight at once across all hosts', '16')
    .action(async (opts: { verbose?: boolean; concurrency: string }, cmd: Command) => {
      // Before anything is opened or printed: on Node 22/24 this may restart the process in place.
      restartWithMemoryCaps();
      const file = configPath(cmd);
      const { createLogger } = await import('../../service/index.js');
      const { logger, statusSummary } = createLogger({ verbose: opts.verbose });
      const { first, handle, finished } = await startWatch(file, {
        logger,
        concurrency: Number(opts.concurrency) || 16,
        service: { status: statusSummary ? { write: (line) => process.stderr.write(`${line}\n`) } : undefined },
      });
      if (statusSummary) println(`watching ${handle.config.sources.length} sources from ${file}; archive ${first.archive}. Ctrl-C stops.`);
      const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
      const stopTrim = trimHeapEvery(HEAP_TRIM_MS, (m) =>
        logger.info({ heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), rssMB: mb(m.rss), externalMB: mb(m.external) }, 'heap compacted'));
      const report = await finished;
      stopTrim();
      if (statusSummary) println(`stopped: ${report.finished} in-flight checks finished, ${report.abandoned.length} abandoned`);
    });
}
