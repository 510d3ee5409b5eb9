/**
 * Removal, confirmed (issue 6): "removed" only after removal_confirmations gone answers
 * (404, 410, soft 404) spanning removal_min_duration, both read from the watch list; reported
 * once; "restored" when the statement answers again. Failures that cannot tell (500, 503,
 * timeouts) neither count towards a removal nor break the run of gone answers; a success does.
 * Time is a fake clock handed to openContext; the server, fetcher, store and outbox are real.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alert/index.js';
import { openContext } from '../../src/core/context.js';
import { checkSource } from '../../src/core/check.js';
import { checkChannels } from '../../src/core/outbox.js';
import { Fetcher } from '../../src/fetch/index.js';
import { goodHandler, openRig, withRobots, type Rig } from './harness.js';
import { STATEMENT_V1 } from './pages.js';
import { startSite, type Handler, type Site } from './site.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
let site: Site;
let clock = T0;

beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const HTML = 'text/html; charset=utf-8';
const good = goodHandler(STATEMENT_V1, HTML);
const status = (code: number): Handler => (_req, res) => void res.writeHead(code, { 'content-type': HTML }).end(`<h1>HTTP ${code}</h1>`);
const soft404: Handler = (_req, res) =>
  void res.writeHead(200, { 'content-type': HTML }).end('<html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>The page you requested cannot be found.</p></body></html>');

/** A source whose watch-list entry asks for 3 gone answers over at least an hour. */
async function rig(id: string, opts: { outbox?: boolean; policy?: { removalConfirmations?: number } } = {}): Promise<Rig & { outbox?: Outbox }> {
  let outbox: Outbox | undefined;
  const r = await openRig({
    site, id, url: `http://${id}.gov.test:${site.port}/statement`,
    sourceYaml: '    removal_confirmations: 3\n    removal_min_duration: 1h\n',
    topYaml: opts.outbox ? 'alerts:\n  - type: jsonl\n    path: alerts.jsonl\n' : '',
    sink: (config) => (opts.outbox ? (outbox = new Outbox({ archive: config.archive, channels: checkChannels(config) })) : undefined),
    policy: opts.policy,
    now: () => clock,
  });
  return Object.assign(r, { outbox });
}

/** Serve `handler` for the rig's host at minute `minute` after T0, check, and return the events raised. */
async function at(r: Rig, minute: number, handler: Handler): Promise<string[]> {
  clock = T0 + minute * MIN;
  site.route(`${r.source.id}.gov.test`, withRobots(handler));
  const o = await checkSource(r.ctx, r.source);
  return o.events;
}

describe('removal is reported only when confirmed', () => {
  it('needs N gone answers over the minimum time, reports once, and "restored" when back', async () => {
    const r = await rig('confirmed', { outbox: true });
    try {
      expect(r.source.policy).toMatchObject({ removalConfirmations: 3, removalMinMs: 60 * MIN });
      expect(await at(r, 0, good)).toEqual(['new']);
      expect(await at(r, 10, status(404))).toEqual([]);
      expect(await at(r, 20, status(404))).toEqual([]); // N-1
      expect(await at(r, 30, status(404))).toEqual([]); // N, but over 20 minutes
      expect(await at(r, 50, status(410))).toEqual([]); // N+1, over 40 minutes
      expect(await at(r, 70, status(404))).toEqual(['removed']); // spans exactly 60 minutes
      expect(await at(r, 80, status(404))).toEqual([]); // reported once
      expect(await at(r, 90, status(500))).toEqual([]); // 7th failure in a row, but already reported removed: no "failing"
      expect(await at(r, 100, good)).toEqual(['restored']);
      expect(await at(r, 110, good)).toEqual([]);

      const versions = await r.store.versions('confirmed');
      expect(versions.map((v) => v.version)).toEqual([1]);
      const log = await r.store.log('confirmed');
      expect(log.map((e) => e.outcome)).toEqual(['new', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'unchanged', 'unchanged']);

      const removed = r.sink.alerts.filter((a) => a.event === 'removed');
      expect(removed).toHaveLength(1);
      expect(removed[0]!.failure).toMatchObject({ checks: 5, since: new Date(T0 + 10 * MIN).toISOString(), status: 404 });
      expect(removed[0]!.summary).toMatch(/removed/i);
      expect(r.sink.alerts.filter((a) => a.event === 'restored')).toHaveLength(1);

      // Through the real outbox and jsonl channel: each delivered once.
      const result = await r.outbox!.deliverDue(new Date(clock));
      expect(result.failures).toEqual([]);
      const lines = (await readFile(path.join(r.dir, 'alerts.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; key: string });
      expect(lines.map((l) => l.event).sort()).toEqual(['removed', 'restored']);
      expect((await r.store.verify()).ok).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('never removes on N-1 gone answers, however long they span; a success starts the count again', async () => {
    const r = await rig('n-minus-one');
    try {
      await at(r, 0, good);
      expect(await at(r, 10, status(404))).toEqual([]);
      expect(await at(r, 300, status(404))).toEqual([]);
      expect(await at(r, 310, good)).toEqual([]);
      expect(await at(r, 320, status(404))).toEqual([]);
      expect(await at(r, 600, status(410))).toEqual([]);
      expect(r.sink.alerts.map((a) => a.event)).not.toContain('removed');
    } finally {
      await r.close();
    }
  });

  it('a 500 or 503 in between is not a gone signal and does not reset the run', async () => {
    const r = await rig('server-errors');
    try {
      await at(r, 0, good);
      expect(await at(r, 10, status(404))).toEqual([]);
      expect(await at(r, 20, status(500))).toEqual([]);
      expect(await at(r, 40, status(404))).toEqual([]);
      expect(await at(r, 60, status(503))).toEqual([]);
      // Third gone answer, 70 minutes after the first: confirmed despite the errors between.
      expect(await at(r, 80, status(404))).toEqual(['removed']);
      const removed = r.sink.alerts.find((a) => a.event === 'removed')!;
      expect(removed.failure?.checks).toBe(3);
    } finally {
      await r.close();
    }
  });

  it('server errors alone never confirm a removal', async () => {
    const r = await rig('errors-only');
    try {
      await at(r, 0, good);
      expect(await at(r, 10, status(404))).toEqual([]);
      for (const minute of [30, 60, 90]) expect(await at(r, minute, status(500))).toEqual([]);
      expect(await at(r, 120, status(502))).toEqual(['failing']); // the 5th failure in a row
      expect(r.sink.alerts.map((a) => a.event)).toEqual(['failing']);
      expect(await at(r, 130, good)).toEqual(['recovered']);
    } finally {
      await r.close();
    }
  });

  it('soft 404 pages count as gone, like a 404', async () => {
    const r = await rig('soft-gone');
    try {
      await at(r, 0, good);
      expect(await at(r, 10, soft404)).toEqual([]);
      expect(await at(r, 40, soft404)).toEqual([]);
      expect(await at(r, 70, soft404)).toEqual(['removed']);
      expect(await at(r, 80, good)).toEqual(['restored']);
      expect((await r.store.versions('soft-gone')).length).toBe(1);
    } finally {
      await r.close();
    }
  });

  it('is reported again if the statement goes a second time', async () => {
    const r = await rig('twice');
    try {
      await at(r, 0, good);
      for (const m of [10, 40, 70]) await at(r, m, status(404));
      expect(await at(r, 80, good)).toEqual(['restored']);
      for (const m of [100, 130]) expect(await at(r, m, status(410))).toEqual([]);
      expect(await at(r, 160, status(410))).toEqual(['removed']);
      const keys = r.sink.alerts.filter((a) => a.event === 'removed').map((a) => a.key);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(2);
    } finally {
      await r.close();
    }
  });

  it('keeps counting across a restart (the run is read back from the log)', async () => {
    const r = await rig('restart');
    try {
      await at(r, 0, good);
      await at(r, 10, status(404));
      await at(r, 40, status(404));
      // A new process: fresh state cache, same archive.
      const fetcher = Fetcher.forWatchList({ lookup: site.lookup, robotsTtlMs: 0 });
      const ctx = await openContext(r.config, { store: r.store, fetcher, now: () => clock });
      try {
        clock = T0 + 70 * MIN;
        const o = await checkSource(ctx, r.source);
        expect(o.events).toEqual(['removed']);
      } finally {
        await ctx.close();
        await fetcher.close();
      }
    } finally {
      await r.close();
    }
  });

  it('a policy fixed by the caller wins over the watch list', async () => {
    const r = await rig('override', { policy: { removalConfirmations: 5 } });
    try {
      await at(r, 0, good);
      for (const m of [10, 40, 70, 100]) expect(await at(r, m, status(404))).toEqual([]);
      expect(await at(r, 130, status(404))).toEqual(['removed']);
    } finally {
      await r.close();
    }
  });
});
