import { afterEach, describe, expect, it } from 'vitest';
import type { RedlineConfig, SourceConfig } from '../../src/config/types.js';
import { runService, type ServiceHandle } from '../../src/service/service.js';
import type { CheckFn } from '../../src/service/types.js';
import { memoryLogger, source, waitFor, watchConfig } from './helpers.js';

// Yearly: ticks never fire during a test; every never-checked source is due at start (catch-up).
const YEARLY = '0 0 0 1 1 *';

const config = (sources: SourceConfig[]): RedlineConfig => watchConfig(sources, YEARLY);

let handle: ServiceHandle | undefined;
afterEach(async () => {
  await handle?.stop({ graceMs: 0 });
  handle = undefined;
});

const quiet = { signals: false, watchConfig: false, outboxIntervalMs: 60_000 } as const;

describe('runService', () => {
  it('counts outcomes, delivers right after alerts, survives a failing delivery, flushes at stop, prints status', async () => {
    const { logger, lines } = memoryLogger();
    const deliveries: number[] = [];
    const outbox = {
      deliverDue: async () => {
        deliveries.push(Date.now());
        if (deliveries.length === 1) throw new Error('webhook receiver down');
      },
    };
    const check: CheckFn = async (src) => {
      if (src.id === 'bad') throw new Error('fetch failed: ECONNREFUSED');
      if (src.id === 'chg') return { outcome: 'changed', alerts: [{ key: 'chg@v2' }] };
      return { outcome: 'unchanged', alerts: [] };
    };
    const status: string[] = [];
    handle = await runService({
      ...quiet,
      loadConfig: async () => config(['same', 'chg', 'bad'].map((id) => source(id, YEARLY))),
      makeCheck: () => check,
      outbox,
      logger,
      status: { write: (l) => status.push(l), intervalMs: 60_000 },
    });
    await waitFor(() => handle!.stats().checked === 3, 3000, 'three checks');
    await waitFor(() => deliveries.length >= 1, 3000, 'a delivery triggered by the alert');
    const s = handle.stats();
    expect(s).toMatchObject({ checked: 3, changed: 1, alerts: 1, checksFailed: 1, deliveryFailures: 1 });
    expect(lines.some((l) => l.msg?.toString().startsWith('outbox delivery pass failed'))).toBe(true);
    expect(lines.filter((l) => l.msg === 'check').map((l) => l.source).sort()).toEqual(['chg', 'same']);
    expect(lines.some((l) => l.msg === 'check failed' && l.source === 'bad' && l.level === 40)).toBe(true);

    const before = deliveries.length;
    const report = await handle.stop();
    expect(report).toEqual({ dropped: 0, finished: 0, abandoned: [] });
    expect(deliveries.length).toBe(before + 1);
    expect(await handle.done).toEqual(report);
    expect(status.at(-1)).toMatch(/3 sources · checked 3 · changed 1 · failed 1 · queued 0 · running 0$/);
    expect(status.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('reload: a bad config or a failing makeCheck keeps the old list and check; a good one swaps both', async () => {
    const { logger, lines } = memoryLogger();
    const ran: string[] = [];
    let next: () => Promise<RedlineConfig> = async () => config([source('a', YEARLY)]);
    let loads = 0;
    let makeFails = false;
    handle = await runService({
      ...quiet,
      loadConfig: () => {
        loads++;
        return next();
      },
      makeCheck: (cfg) => {
        if (makeFails) throw new Error('cannot open the archive');
        const generation = cfg.sources.length;
        return async (src) => void ran.push(`${src.id}@${generation}`);
      },
      logger,
    });
    await waitFor(() => ran.length === 1, 3000, 'first check');

    next = async () => {
      throw new Error('redline.yaml:4:13 sources[0].url: "ftp://x" is not an http(s) URL');
    };
    expect(await handle.reload('test')).toBe(false);
    const failure = lines.find((l) => String(l.msg).startsWith('config reload failed'))!;
    expect(failure).toMatchObject({ reason: 'test', level: 50 });
    expect(String(failure.error)).toContain('redline.yaml:4:13');

    next = async () => config([source('a', YEARLY), source('b', YEARLY)]);
    makeFails = true;
    expect(await handle.reload()).toBe(false);
    next = async () => config([source('a', YEARLY), source('b', YEARLY), source('c', 'not cron')]);
    makeFails = false;
    expect(await handle.reload()).toBe(false);
    expect(handle.stats()).toMatchObject({ sources: 1, reloads: 0, reloadFailures: 3 });
    expect(handle.config.sources.map((s) => s.id)).toEqual(['a']);

    // Three requests at once: one runs, the other two share a single follow-up.
    next = async () => config([source('a', YEARLY), source('b', YEARLY)]);
    loads = 0;
    const results = await Promise.all([handle.reload(), handle.reload(), handle.reload()]);
    expect(results).toEqual([true, true, true]);
    expect(loads).toBe(2);
    await waitFor(() => ran.includes('b@2'), 3000, 'b checked by the new check');
    expect(handle.stats()).toMatchObject({ sources: 2, reloads: 2 });
    expect(ran).toEqual(['a@1', 'b@2']);
  });

  it('bounds the final outbox flush and leaves undelivered alerts for the next start', async () => {
    const { logger, lines } = memoryLogger();
    handle = await runService({
      ...quiet,
      loadConfig: async () => config([source('a', YEARLY)]),
      makeCheck: () => async () => ({ outcome: 'unchanged' }),
      outbox: { deliverDue: () => new Promise(() => {}) },
      flushTimeoutMs: 150,
      logger,
    });
    await handle.stop({ graceMs: 1000 });
    expect(lines.some((l) => l.msg?.toString().startsWith('final outbox flush did not finish in time') && l.flushMs === 150)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('refuses to start on a watch list it cannot schedule, naming the source', async () => {
    const { logger } = memoryLogger();
    await expect(
      runService({ ...quiet, loadConfig: async () => config([source('a', 'sometimes')]), makeCheck: () => async () => undefined, logger }),
    ).rejects.toThrow(/sources\[0\] \(id "a"\): "sometimes" is not a valid cron expression/);
  });
});
