/**
 * Decides WHEN sources are checked. One node-cron task per distinct cron expression (not per
 * source, so 10,000 sources on a handful of schedules cost a handful of timers); a tick spreads
 * its group over a jitter window into one work queue with global concurrency that never holds
 * a source twice and gives each host at most its per-host concurrency of the slots. On start (and for sources a reload adds or reschedules), a source whose last
 * check predates its schedule's latest fire time is queued at once: a restart runs what came
 * due while it was down and repeats nothing recent.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { SourceConfig } from '../config/types.js';
import { createCronClock, isDue, MAX_LOOKBACK_MS, systemTimezone, type CronClock } from './cron-time.js';
import { jitterWindowMs, sortedMembers, startSweep, type Member, type Sweep } from './jitter.js';
import { createWorkQueue } from './queue.js';
import type { RunCheckContext, CheckDone, Logger, ReloadReport, SchedulerStats, StopReport } from './types.js';
import { diffWatchLists, indexSources, type Entry } from './watchlist.js';

export interface SchedulerOptions {
  sources: readonly SourceConfig[];
  /** IANA timezone the cron expressions are read in (default: the system's). */
  timezone?: string;
  /** Used for a source with an empty schedule. */
  defaultSchedule?: string;
  runCheck: (source: SourceConfig, ctx: RunCheckContext) => Promise<unknown>;
  /** Checks in flight at once; each host also gets at most its sources' fetch.perHostConcurrency. */
  concurrency: number;
  /** Upper bound of the spread of one tick's checks; capped at half the schedule's period. Default 60 s. */
  jitterMs?: number;
  /** Aborts a check's signal after this long (its slot frees when the check settles). */
  checkTimeoutMs?: number;
  /** When each source was last checked; without it every source counts as due at start. */
  lastCheckedAt?: (id: string) => Promise<Date | undefined>;
  logger: Logger;
  /** Clock for catch-up decisions (tests pin it). */
  now?: () => Date;
  /** Called after every check, success or failure. */
  onCheckDone?: (done: CheckDone) => void;
}

export interface Scheduler {
  /** Creates the timers and queues due sources; resolves when catch-up has been queued. */
  start(): Promise<void>;
  /** Validates the new list first: on a ScheduleError nothing changes. */
  reload(sources: readonly SourceConfig[], options?: { timezone?: string }): Promise<ReloadReport>;
  /** No new work; waits up to graceMs (default 30 s) for in-flight checks, then aborts them. */
  stop(options?: { graceMs?: number }): Promise<StopReport>;
  stats(): SchedulerStats;
}

interface Group {
  key: string;
  ids: Set<string>;
  members: Member[];
  membersStale: boolean;
  task?: ScheduledTask;
  clock?: CronClock;
  windowMs: number;
  minGapMs: number;
  lastTickMs?: number;
  sweep?: Sweep;
}

const CATCH_UP_LOOKUPS = 16;
const ABORT_SETTLE_MS = 1000;

/** A timer that can be cut short (`expire`) or dropped without firing (`clear`). */
function timer(ms: number): { done: Promise<boolean>; expire(): void; clear(): void } {
  let settle: (expired: boolean) => void = () => {};
  const done = new Promise<boolean>((resolve) => (settle = resolve));
  const handle = setTimeout(() => settle(true), ms);
  return {
    done,
    expire() {
      clearTimeout(handle);
      settle(true);
    },
    clear() {
      clearTimeout(handle);
      settle(false);
    },
  };
}

function summarize(result: unknown): Record<string, unknown> {
  if (typeof result !== 'object' || result === null) return {};
  const r = result as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['outcome', 'changed', 'version', 'status', 'wordsAdded', 'wordsRemoved'] as const) {
    const v = r[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
  }
  if (Array.isArray(r.events) && r.events.length > 0 && r.events.every((e) => typeof e === 'string')) out.events = r.events;
  if (typeof r.alerts === 'number') out.alerts = r.alerts;
  else if (Array.isArray(r.alerts)) out.alerts = r.alerts.length;
  if (r.error !== undefined) out.error = r.error instanceof Error ? r.error.message : r.error;
  return out;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  // Inner functions must not capture `options`: it holds the first source list, which would
  // then stay in memory beside every list a reload installs.
  const { logger: log, runCheck, lastCheckedAt, checkTimeoutMs, onCheckDone, defaultSchedule } = options;
  const now = options.now ?? (() => new Date());
  const jitterMs = options.jitterMs ?? 60_000;
  let timezone = options.timezone ?? systemTimezone();
  let entries = indexSources(options.sources, defaultSchedule, timezone);
  /** When this process last started each source's check: catch-up after a reload needs no store. */
  const lastStarted = new Map<string, number>();
  const groups = new Map<string, Group>();
  const controllers = new Map<string, AbortController>();
  let state: SchedulerStats['state'] = 'new';
  const counts = { ticks: 0, enqueued: 0, caughtUp: 0, skippedBusy: 0, started: 0, succeeded: 0, failed: 0, aborted: 0 };
  let lastTickAt: string | undefined;
  let stopping: Promise<StopReport> | undefined;
  let graceTimer: ReturnType<typeof timer> | undefined;

  const queue = createWorkQueue({ concurrency: options.concurrency, run: runOne });

  async function runOne(id: string): Promise<void> {
    const entry = entries.get(id);
    if (!entry || state !== 'running') return;
    const source = entry.source;
    const controller = new AbortController();
    controllers.set(id, controller);
    const deadline =
      checkTimeoutMs !== undefined
        ? setTimeout(
            () => controller.abort(new Error(`check of source "${id}" (${source.url}) exceeded ${checkTimeoutMs} ms`)),
            checkTimeoutMs,
          )
        : undefined;
    counts.started++;
    const startedAt = new Date();
    lastStarted.set(id, startedAt.getTime());
    const t0 = performance.now();
    let done: CheckDone;
    try {
      const result = await runCheck(source, { signal: controller.signal });
      const ms = Math.round(performance.now() - t0);
      counts.succeeded++;
      log.info({ source: id, ms, ...summarize(result) }, 'check');
      done = { source, startedAt, ms, result, aborted: controller.signal.aborted };
    } catch (error) {
      const ms = Math.round(performance.now() - t0);
      const aborted = controller.signal.aborted;
      counts.failed++;
      if (aborted) counts.aborted++;
      log.warn({ source: id, url: source.url, ms, aborted, err: error }, aborted ? 'check aborted' : 'check failed');
      done = { source, startedAt, ms, error, aborted };
    } finally {
      if (deadline) clearTimeout(deadline);
      controllers.delete(id);
    }
    try {
      onCheckDone?.(done);
    } catch (error) {
      log.error({ source: id, err: error }, 'onCheckDone hook threw; the scheduler carries on');
    }
  }

  function enqueue(id: string, catchUp: boolean): void {
    const entry = entries.get(id);
    if (state !== 'running' || !entry) return;
    if (queue.push(id, entry.host, entry.hostLimit)) {
      counts.enqueued++;
      if (catchUp) counts.caughtUp++;
    } else if (queue.has(id)) {
      counts.skippedBusy++;
    }
  }

  function onTick(group: Group): void {
    if (state !== 'running' || groups.get(group.key) !== group) return;
    const t = Date.now();
    // A burst of ticks (node-cron reporting slots missed while the process was blocked or
    // asleep) is one reason to check, not several.
    if (group.lastTickMs !== undefined && t - group.lastTickMs < group.minGapMs / 2) return;
    group.lastTickMs = t;
    counts.ticks++;
    lastTickAt = new Date(t).toISOString();
    group.sweep?.flush();
    if (group.membersStale) {
      group.members = sortedMembers(group.ids);
      group.membersStale = false;
    }
    group.sweep = startSweep(group.members, group.windowMs, (id) => enqueue(id, false));
  }

  function materialize(group: Group): void {
    const task = cron.createTask(group.key, () => onTick(group), {
      timezone,
      name: `redline:${group.key}`,
      logger: {
        info: (m) => log.debug({ schedule: group.key }, `node-cron: ${m}`),
        warn: (m) => log.warn({ schedule: group.key }, `node-cron: ${m}`),
        error: (m, e) => log.error({ schedule: group.key, err: e ?? m }, 'node-cron error'),
        debug: (m) => log.debug({ schedule: group.key }, `node-cron: ${String(m)}`),
      },
    });
    // Handling the event also silences node-cron's console warning for it.
    task.on('execution:missed', () => onTick(group));
    const runs = task.getNextRuns(3);
    let minGap = Infinity;
    for (let i = 1; i < runs.length; i++) minGap = Math.min(minGap, runs[i].getTime() - runs[i - 1].getTime());
    group.minGapMs = Number.isFinite(minGap) ? minGap : MAX_LOOKBACK_MS;
    group.windowMs = jitterWindowMs(jitterMs, group.minGapMs);
    group.task = task;
    group.clock = createCronClock(group.key, timezone, (d) => task.match(d));
    task.start();
  }

  function groupFor(key: string): Group {
    let group = groups.get(key);
    if (!group) {
      group = { key, ids: new Set(), members: [], membersStale: true, windowMs: 0, minGapMs: 0 };
      groups.set(key, group);
    }
    return group;
  }

  function dropGroup(group: Group): void {
    group.sweep?.cancel();
    group.task?.destroy();
    groups.delete(group.key);
  }

  /** Builds groups for the current entries that have none, starting their timers. Returns how many. */
  function buildGroups(): number {
    let created = 0;
    for (const [id, entry] of entries) {
      const group = groupFor(entry.key);
      if (!group.ids.has(id)) {
        group.ids.add(id);
        group.membersStale = true;
      }
    }
    for (const group of groups.values()) {
      if (!group.task) {
        materialize(group);
        created++;
      }
    }
    return created;
  }

  async function catchUp(ids: string[]): Promise<void> {
    const at = now();
    const latest = new Map<string, Date | undefined>();
    let next = 0;
    const lookups = async (): Promise<void> => {
      while (next < ids.length && state === 'running') {
        const id = ids[next++];
        const entry = entries.get(id);
        if (!entry) continue;
        let last: Date | undefined;
        if (lastCheckedAt) {
          try {
            last = await lastCheckedAt(id);
          } catch (error) {
            log.warn({ source: id, err: error }, 'could not read when this source was last checked; checking it now');
          }
        }
        const startedHere = lastStarted.get(id);
        if (startedHere !== undefined && !(last && last.getTime() >= startedHere)) last = new Date(startedHere);
        const current = entries.get(id);
        if (!current || current.key !== entry.key) continue;
        if (!latest.has(entry.key)) latest.set(entry.key, groups.get(entry.key)?.clock?.previous(at, new Date(at.getTime() - MAX_LOOKBACK_MS)));
        if (isDue(last, latest.get(entry.key), at)) enqueue(id, true);
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < Math.min(CATCH_UP_LOOKUPS, ids.length); i++) workers.push(lookups());
    await Promise.all(workers);
  }

  return {
    async start() {
      if (state !== 'new') throw new Error(`scheduler.start() called twice (state: ${state})`);
      state = 'running';
      buildGroups();
      log.info({ sources: entries.size, groups: groups.size, timezone }, 'scheduler started');
      await catchUp([...entries.keys()]);
    },

    async reload(sources, reloadOptions = {}) {
      if (state === 'stopping' || state === 'stopped') throw new Error(`cannot reload a scheduler that is ${state}`);
      const nextTimezone = reloadOptions.timezone ?? timezone;
      const next = indexSources(sources, defaultSchedule, nextTimezone);
      const diff = diffWatchLists(entries, next);
      const timezoneChanged = nextTimezone !== timezone;
      entries = next;
      timezone = nextTimezone;
      for (const id of diff.removed) lastStarted.delete(id);
      const report: ReloadReport = { ...diff, groupsCreated: 0, groupsRemoved: 0 };
      if (state === 'new') return report;

      for (const group of [...groups.values()]) {
        if (timezoneChanged) {
          dropGroup(group);
          report.groupsRemoved++;
          continue;
        }
        for (const id of group.ids) {
          if (entries.get(id)?.key !== group.key) {
            group.ids.delete(id);
            group.membersStale = true;
          }
        }
        if (group.ids.size === 0) {
          dropGroup(group);
          report.groupsRemoved++;
        }
      }
      report.groupsCreated = buildGroups();
      log.info(
        {
          sources: entries.size,
          groups: groups.size,
          added: diff.added.length,
          removed: diff.removed.length,
          rescheduled: diff.rescheduled.length,
          updated: diff.updated.length,
        },
        'scheduler reloaded',
      );
      await catchUp(timezoneChanged ? [...entries.keys()] : [...diff.added, ...diff.rescheduled]);
      return report;
    },

    stop(stopOptions = {}) {
      const graceMs = stopOptions.graceMs ?? 30_000;
      if (stopping) {
        // A second stop request (a second Ctrl-C) with a shorter grace cuts the wait short.
        if (graceMs === 0) graceTimer?.expire();
        return stopping;
      }
      const wasRunning = state === 'running';
      state = 'stopping';
      stopping = (async () => {
        for (const group of [...groups.values()]) dropGroup(group);
        const dropped = queue.close();
        const inFlight = queue.running;
        if (wasRunning) log.info({ inFlight, dropped, graceMs }, 'scheduler stopping');
        const idle = queue.idle().then(() => false);
        let timedOut = false;
        if (inFlight > 0) {
          graceTimer = timer(graceMs);
          timedOut = await Promise.race([idle, graceTimer.done]);
          graceTimer.clear();
        }
        let abandoned: string[] = [];
        if (timedOut && queue.running > 0) {
          abandoned = queue.runningIds();
          for (const id of abandoned) {
            controllers.get(id)?.abort(new Error(`Redline is shutting down: check of "${id}" abandoned after ${graceMs} ms`));
          }
          log.warn({ abandoned }, 'grace period over: in-flight checks aborted');
          const settle = timer(ABORT_SETTLE_MS);
          await Promise.race([idle, settle.done]);
          settle.clear();
        }
        state = 'stopped';
        return { dropped, finished: inFlight - abandoned.length, abandoned };
      })();
      return stopping;
    },

    stats() {
      return {
        state,
        sources: entries.size,
        groups: groups.size,
        queued: queue.queued,
        running: queue.running,
        ...counts,
        lastTickAt,
      };
    },
  };
}
