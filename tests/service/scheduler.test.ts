import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { jitterFraction } from '../../src/service/jitter.js';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../../src/service/scheduler.js';
import { ScheduleError } from '../../src/service/watchlist.js';
import { memoryLogger, overlapping, recordingCheck, sleep, source, waitFor } from './helpers.js';

const EVERY_SECOND = '*/1 * * * * *';
const recent = async () => new Date();

let current: Scheduler | undefined;
afterEach(async () => {
  await current?.stop({ graceMs: 0 });
  current = undefined;
});

function make(options: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'sources' | 'runCheck'>) {
  const { logger, lines } = memoryLogger();
  current = createScheduler({ concurrency: 8, timezone: 'UTC', logger, lastCheckedAt: recent, ...options });
  return { scheduler: current, lines };
}

describe('scheduler', () => {
  it('creates one node-cron task per distinct expression, not per source', async () => {
    const before = cron.getTasks().size;
    const exprs = ['0 0 3 * * *', '0 30 4 * * *', '0  0  3 * * *', '0 15 5 * * 1'];
    const sources = Array.from({ length: 1000 }, (_, i) => source(`s${i}`, exprs[i % exprs.length]));
    const rec = recordingCheck();
    const { scheduler } = make({ sources, runCheck: rec.check });
    await scheduler.start();
    // "0 0 3" written with extra spaces is the same schedule: 3 groups, not 4.
    expect(cron.getTasks().size - before).toBe(3);
    expect(scheduler.stats()).toMatchObject({ sources: 1000, groups: 3, enqueued: 0 });
    await scheduler.stop({ graceMs: 0 });
    expect(cron.getTasks().size - before).toBe(0);
  });

  it('spreads one tick over the jitter window in a fixed per-source order', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `jit-${i}`);
    const rec = recordingCheck();
    const { scheduler } = make({ sources: ids.map((id) => source(id, EVERY_SECOND)), runCheck: rec.check, jitterMs: 400, concurrency: 50 });
    await scheduler.start();
    await waitFor(() => rec.runs.length >= 20, 3000, 'one full tick');
    const firstTick = rec.runs.slice(0, 20);
    expect(new Set(firstTick.map((r) => r.id)).size).toBe(20);
    const expectedOrder = [...ids].sort((a, b) => jitterFraction(a) - jitterFraction(b));
    expect(firstTick.map((r) => r.id)).toEqual(expectedOrder);
    const span = firstTick[19].start - firstTick[0].start;
    // Offsets are fraction × 400 ms; these 20 ids span most of the window, not one instant.
    const fractions = ids.map(jitterFraction);
    expect(span).toBeGreaterThanOrEqual((Math.max(...fractions) - Math.min(...fractions)) * 400 - 60);
    expect(span).toBeLessThan(500);
  });

  it('never runs a source twice at once when its check outlasts the period, and respects concurrency', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const rec = recordingCheck(() => 1200);
    const { scheduler } = make({ sources: ids.map((id) => source(id, EVERY_SECOND)), runCheck: rec.check, jitterMs: 0, concurrency: 2 });
    await scheduler.start();
    await sleep(2100);
    await scheduler.stop({ graceMs: 5000 });
    expect(rec.runs.length).toBeGreaterThanOrEqual(4);
    expect(rec.maxActive).toBe(2);
    expect(overlapping(rec.runs)).toEqual([]);
    const stats = scheduler.stats();
    expect(stats.skippedBusy).toBeGreaterThan(0);
    expect(stats.state).toBe('stopped');
  });

  it("gives a host no more slots than its sources' perHostConcurrency", async () => {
    const yearly = '0 0 0 1 1 *';
    const onHost = (id: string, host: string, limit: number) => {
      const s = source(id, yearly, { url: `http://${host}/${id}` });
      return { ...s, fetch: { ...s.fetch, perHostConcurrency: limit } };
    };
    const sources = [
      ...Array.from({ length: 5 }, (_, i) => onHost(`busy-${i}`, '127.0.0.1:9', 1)),
      onHost('other-1', '127.0.0.2:9', 2),
      onHost('other-2', '127.0.0.2:9', 2),
    ];
    const rec = recordingCheck(() => 80);
    // Never checked: all seven are due at start, so catch-up queues them at once.
    const { scheduler } = make({ sources, runCheck: rec.check, concurrency: 4, lastCheckedAt: async () => undefined });
    await scheduler.start();
    await waitFor(() => rec.runs.filter((r) => r.end).length === 7, 5000, 'all seven checked');
    const busy = rec.runs.filter((r) => r.id.startsWith('busy-'));
    const maxBusyAtOnce = Math.max(...busy.map((r) => busy.filter((o) => o.start < r.end! && r.start < o.end!).length));
    expect(maxBusyAtOnce).toBe(1);
    // The other host did not wait behind the busy one: both of its checks started in the first wave.
    expect(rec.runs.slice(0, 3).map((r) => r.id).sort()).toEqual(['busy-0', 'other-1', 'other-2']);
  });

  it('aborts a check that overruns checkTimeoutMs and frees its slot', async () => {
    const rec = recordingCheck((id) => (id === 'hang' ? 60_000 : 10));
    const sources = ['hang', 'next'].map((id) => source(id, '0 0 0 1 1 *'));
    const { scheduler, lines } = make({ sources, runCheck: rec.check, concurrency: 1, checkTimeoutMs: 150, lastCheckedAt: async () => undefined });
    await scheduler.start();
    await waitFor(() => rec.of('next').some((r) => r.end), 3000, 'the next source checked after the abort');
    expect(rec.of('hang')[0].aborted).toBe(true);
    const line = lines.find((l) => l.msg === 'check aborted')!;
    expect(line).toMatchObject({ source: 'hang', url: 'http://127.0.0.1:9/hang', aborted: true });
    expect(JSON.stringify(line.err)).toContain('exceeded 150 ms');
    expect(scheduler.stats()).toMatchObject({ aborted: 1, failed: 1, succeeded: 1 });
  });

  it('keeps checking other sources while one is stuck, and aborts the stuck one on a forced stop', async () => {
    const rec = recordingCheck((id) => (id === 'slow' ? 60_000 : 10));
    const sources = ['slow', 'f1', 'f2', 'f3'].map((id) => source(id, EVERY_SECOND));
    const { scheduler, lines } = make({ sources, runCheck: rec.check, jitterMs: 100, concurrency: 2 });
    await scheduler.start();
    await waitFor(() => ['f1', 'f2', 'f3'].every((id) => rec.of(id).filter((r) => r.end).length >= 2), 4000, 'fast sources checked twice');
    expect(rec.of('slow')).toHaveLength(1);
    expect(rec.of('slow')[0].end).toBeUndefined();
    const report = await scheduler.stop({ graceMs: 0 });
    expect(report.abandoned).toEqual(['slow']);
    expect(rec.of('slow')[0].aborted).toBe(true);
    expect(scheduler.stats().aborted).toBe(1);
    expect(lines.some((l) => l.msg === 'check aborted' && l.source === 'slow')).toBe(true);
  });

  it('stop() waits for in-flight checks, then nothing else starts', async () => {
    const rec = recordingCheck(() => 500);
    const sources = ['x', 'y', 'z'].map((id) => source(id, EVERY_SECOND));
    const { scheduler } = make({ sources, runCheck: rec.check, jitterMs: 0, concurrency: 3 });
    await scheduler.start();
    await waitFor(() => rec.active === 3, 3000, 'three checks in flight');
    const report = await scheduler.stop({ graceMs: 5000 });
    const stoppedAt = Date.now();
    expect(report).toEqual({ dropped: 0, finished: 3, abandoned: [] });
    expect(rec.runs.every((r) => r.end !== undefined && r.end <= stoppedAt && !r.aborted)).toBe(true);
    const count = rec.runs.length;
    await sleep(1100);
    expect(rec.runs.length).toBe(count);
    expect(scheduler.stats().groups).toBe(0);
  });

  it('reload adds, removes and reschedules without duplicating, and refuses a bad list whole', async () => {
    const before = cron.getTasks().size;
    const rec = recordingCheck(() => 50);
    const { scheduler, lines } = make({
      sources: [source('a', EVERY_SECOND), source('b', EVERY_SECOND), source('k', EVERY_SECOND)],
      runCheck: rec.check,
      jitterMs: 0,
    });
    await scheduler.start();
    await waitFor(() => rec.of('b').length >= 1, 3000, 'b checked once');

    await expect(
      scheduler.reload([source('a', EVERY_SECOND), source('a', EVERY_SECOND), source('q', 'every minute')]),
    ).rejects.toThrow(ScheduleError);
    expect(scheduler.stats()).toMatchObject({ sources: 3, groups: 1 });

    const report = await scheduler.reload([
      source('a', '*/2 * * * * *'),
      source('c', EVERY_SECOND),
      source('k', EVERY_SECOND, { url: 'http://127.0.0.1:9/k-moved' }),
    ]);
    const reloadedAt = Date.now();
    expect(report).toEqual({ added: ['c'], removed: ['b'], rescheduled: ['a'], updated: ['k'], groupsCreated: 1, groupsRemoved: 0 });
    expect(cron.getTasks().size - before).toBe(2);
    // lastCheckedAt says "just now" for every id, so c is not caught up: its group's ticks start it.
    await sleep(2100);
    await scheduler.stop({ graceMs: 2000 });
    expect(rec.of('b').filter((r) => r.start > reloadedAt + 100)).toEqual([]);
    expect(rec.of('c').length).toBeGreaterThanOrEqual(2);
    const aAfter = rec.of('a').filter((r) => r.start > reloadedAt);
    expect(aAfter.length).toBeGreaterThanOrEqual(1);
    expect(aAfter.length).toBeLessThanOrEqual(2);
    expect(overlapping(rec.runs)).toEqual([]);
    expect(lines.some((l) => l.msg === 'scheduler reloaded' && l.added === 1 && l.removed === 1)).toBe(true);
  });

  it('catches up on start: due sources run once, recently checked ones do not, and a restart repeats nothing', async () => {
    const now = new Date('2026-01-01T00:00:30Z');
    const yearly = '0 0 0 1 1 *';
    const last = new Map<string, Date>([
      ['before-fire', new Date('2025-12-31T23:00:00Z')],
      ['after-fire', new Date('2026-01-01T00:00:05Z')],
    ]);
    const lastCheckedAt = async (id: string) => {
      if (id === 'unreadable') throw new Error('log unreadable');
      return last.get(id);
    };
    const rec = recordingCheck();
    const sources = ['before-fire', 'after-fire', 'never', 'unreadable'].map((id) => source(id, yearly));
    const record = (id: string) => last.set(id, now);
    const runCheck = async (...args: Parameters<typeof rec.check>) => {
      const r = await rec.check(...args);
      record(args[0].id);
      return r;
    };
    const first = make({ sources, runCheck, lastCheckedAt, now: () => now });
    await first.scheduler.start();
    await waitFor(() => first.scheduler.stats().running === 0 && first.scheduler.stats().queued === 0, 2000, 'catch-up done');
    expect(rec.runs.map((r) => r.id).sort()).toEqual(['before-fire', 'never', 'unreadable']);
    expect(first.scheduler.stats().caughtUp).toBe(3);
    expect(first.lines.some((l) => l.level === 40 && l.source === 'unreadable')).toBe(true);

    // A source added by reload is caught up too.
    await first.scheduler.reload([...sources, source('added', yearly)]);
    await waitFor(() => rec.of('added').length === 1 && first.scheduler.stats().running === 0, 2000, 'added source checked');
    await first.scheduler.stop();

    // Restart: everything was just checked, so nothing runs again.
    const count = rec.runs.length;
    const second = make({ sources: [...sources, source('added', yearly)], runCheck, lastCheckedAt: async (id) => last.get(id), now: () => now });
    await second.scheduler.start();
    await sleep(200);
    expect(rec.runs.length).toBe(count);
    expect(second.scheduler.stats().caughtUp).toBe(0);
  });
});
