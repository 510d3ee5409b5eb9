/**
 * The whole pipeline on real pages: a loopback server plays the FEMA Hurricane Maria page
 * (3 Oct 2017, then the double-encoded 5 Oct 2017 version), a real file store archives it,
 * the outbox writes alerts to a JSON-lines channel.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import type { RedlineConfig } from '../../src/config/types.js';
import { openContext, type OpenedContext } from '../../src/core/context.js';
import { checkSource } from '../../src/core/check.js';
import { openAlertsFor } from '../../src/core/outbox.js';
import { openFsStore } from '../../src/store/index.js';

const fixtures = join(import.meta.dirname, '../fixtures/govpages');
const pages = {
  a: await readFile(join(fixtures, 'real_fema-hurricane-maria_2017-10-03.a.html')),
  b: await readFile(join(fixtures, 'real_fema-hurricane-maria_2017-10-05_mojibake.b.html')),
};

interface Behaviour {
  status: number;
  body: Buffer | string;
  headers?: Record<string, string>;
}

let server: Server;
let base = '';
let now: Behaviour = { status: 200, body: pages.a };
const seen: { url: string; ifNoneMatch?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    seen.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] as string | undefined });
    const etag = `"${now.status}-${Buffer.byteLength(now.body)}"`;
    if (now.status === 200 && req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(now.status, { 'content-type': 'text/html; charset=utf-8', ...(now.status === 200 ? { etag } : {}), ...now.headers });
    res.end(now.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

async function setup(extra = ''): Promise<{ config: RedlineConfig; ctx: OpenedContext; dir: string; alertsFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'redline-core-'));
  const alertsFile = join(dir, 'alerts.jsonl');
  const text = `archive: ./snapshots
defaults:
  retries: 0
  timeout: 5s
  per_host_delay: 0
  removal_confirmations: 2
  removal_min_duration: 0
watch_terms: [federal staff]
sources:
  - id: fema-maria
    url: ${base}/hurricane-maria
alerts:
  - type: jsonl
    path: ${alertsFile}
${extra}`;
  const file = join(dir, 'redline.yaml');
  await writeFile(file, text);
  const config = parseConfigText(text, file);
  const alerts = await openAlertsFor(config);
  const ctx = await openContext(config, { sink: alerts!.outbox });
  return { config, ctx, dir, alertsFile };
}

async function deliveredAlerts(config: RedlineConfig, file: string): Promise<{ key: string; event: string; summary: string }[]> {
  const alerts = await openAlertsFor(config);
  await alerts!.deliverNow();
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('checkSource on the real FEMA page', () => {
  it('archives the first version, confirms it with a 304, then records the 5 Oct change with a word diff and one alert', async () => {
    const { config, ctx, alertsFile } = await setup();
    const source = config.sources[0];
    now = { status: 200, body: pages.a };

    const first = await checkSource(ctx, source);
    expect(first.outcome).toBe('new');
    expect(first.version).toBe(1);

    const second = await checkSource(ctx, source);
    expect(second.outcome).toBe('unchanged');
    expect(seen.at(-1)?.ifNoneMatch).toMatch(/^"200-/); // the stored ETag went back verbatim
    expect(second.entry.status).toBe(304);

    now = { status: 200, body: pages.b };
    const third = await checkSource(ctx, source);
    expect(third.outcome).toBe('changed');
    expect(third.version).toBe(2);
    expect(third.entry.repairs?.join(' ')).toMatch(/mojibake/i);
    expect(third.alerts).toHaveLength(1);
    const alert = third.alerts[0];
    expect(alert.key).toBe('fema-maria@v2');
    const removed = alert.report!.changes.map((c) => c.removed).join(' ');
    const added = alert.report!.changes.map((c) => c.added).join(' ');
    expect(removed).toContain('12,300');
    expect(added).toContain('14,000');
    // The double encoding was repaired, so "Español" is not reported as a change of wording.
    expect(`${removed} ${added}`).not.toMatch(/Ã|Â/);

    const store = ctx.store;
    const versions = await store.versions('fema-maria');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await store.verify()).ok).toBe(true);

    const delivered = await deliveredAlerts(config, alertsFile);
    expect(delivered.map((a) => a.key)).toEqual(['fema-maria@v2']);
    await ctx.close();
  });

  it('records failures as failed checks, never as versions, and confirms a removal only after repeated 404s', async () => {
    const { config, ctx, alertsFile } = await setup();
    const source = config.sources[0];
    now = { status: 200, body: pages.a };
    expect((await checkSource(ctx, source)).outcome).toBe('new');

    now = { status: 500, body: 'oops' };
    const broken = await checkSource(ctx, source);
    expect(broken.outcome).toBe('failed');
    expect(broken.error?.message).toContain(base);
    expect(broken.events).toEqual([]);

    now = { status: 200, body: '' };
    expect((await checkSource(ctx, source)).error?.code).toBe('empty');

    now = { status: 404, body: 'gone' };
    expect((await checkSource(ctx, source)).events).toEqual([]);
    const confirmed = await checkSource(ctx, source);
    expect(confirmed.events).toEqual(['removed']);
    expect((await checkSource(ctx, source)).events).toEqual([]); // reported once

    now = { status: 200, body: pages.a };
    const back = await checkSource(ctx, source);
    expect(back.outcome).toBe('unchanged');
    expect(back.events).toEqual(['restored']);

    expect((await ctx.store.versions('fema-maria')).length).toBe(1);
    const delivered = await deliveredAlerts(config, alertsFile);
    // Delivered concurrently, so in either order.
    expect(delivered.map((a) => a.event).sort()).toEqual(['removed', 'restored']);
    expect(delivered.find((a) => a.event === 'removed')!.summary).toMatch(/removed/i);
    await ctx.close();
  });

  it('re-queues the alert of a change whose process died before queueing it', async () => {
    const { config, ctx, alertsFile, dir } = await setup();
    const source = config.sources[0];
    now = { status: 200, body: pages.a };
    await checkSource(ctx, source);
    // A context without a sink stands in for a process killed between append and enqueue.
    const crashed = await openContext(config, { store: ctx.store });
    now = { status: 200, body: pages.b };
    expect((await checkSource(crashed, source)).outcome).toBe('changed');
    await ctx.close();

    const config2 = parseConfigText(await readFile(join(dir, 'redline.yaml'), 'utf8'), join(dir, 'redline.yaml'));
    const alerts = await openAlertsFor(config2);
    const restarted = await openContext(config2, { sink: alerts!.outbox, store: await openFsStore(config2.archive) });
    expect((await checkSource(restarted, source)).outcome).toBe('unchanged');
    const delivered = await deliveredAlerts(config2, alertsFile);
    expect(delivered.map((a) => a.key)).toEqual(['fema-maria@v2']);
    await (restarted.store as { close(): Promise<void> } & typeof restarted.store).close();
  });
});
