/**
 * Swapping an outbox's channels (a watch-list reload), against real loopback webhook receivers
 * that check the HMAC signature: ids keep queued deliveries, new settings apply on the next
 * attempt, removed channels go dead visibly, an empty list holds everything, and a send already
 * running finishes on the settings it was claimed with.
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alert/outbox.js';
import { validateChannels } from '../../src/alert/registry.js';
import type { ResolvedChannel } from '../../src/alert/types.js';
import { parseConfigText } from '../../src/config/index.js';
import { WatchAlerts } from '../../src/core/outbox.js';
import { makeAlert, tempDir } from './helpers.js';

interface Hit {
  key: string;
  signed: boolean;
}

/** A webhook receiver that checks signatures with `secret`; `answer` may hold a reply back. */
async function receiver(secret: string, answer: () => number | Promise<number> = () => 204) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const expected = `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
      hits.push({ key: String(req.headers['idempotency-key']), signed: req.headers['x-redline-signature'] === expected });
      res.writeHead(await answer()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  closers.push(close);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits };
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let closers: Array<() => Promise<void>> = [];
beforeEach(async () => {
  tmp = await tempDir('redline-reload-');
  closers = [];
});
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  await tmp.cleanup();
});

function channels(list: Array<Record<string, unknown>>): ResolvedChannel[] {
  const { channels: resolved, problems } = validateChannels(
    list.map(({ type, ...settings }) => ({ type: String(type), sources: [], tags: [], settings })),
    path.join(tmp.dir, 'redline.yaml'),
  );
  expect(problems).toEqual([]);
  return resolved;
}

const hook = (name: string, url: string, secret: string) => ({ type: 'webhook', name, url, secret });
// Backoff of at least 30 s: anything delivered within a test was made due by the swap, not by time.
const slow = { baseMs: 60_000, capMs: 600_000, maxAttempts: 5 };

describe('Outbox.setChannels', () => {
  it('same id: the queued delivery goes to the new URL with the new secret at once; a removed channel goes dead; new alerts route with the new list', async () => {
    const r1 = await receiver('s1', () => 503);
    const r2 = await receiver('s2');
    const r3 = await receiver('s1', () => 503);
    const ob = new Outbox({ archive: tmp.dir, channels: channels([hook('A', r1.url, 's1'), hook('B', r3.url, 's1')]), backoff: slow, random: () => 0.5 });
    await ob.enqueue(makeAlert({ key: 'first@v2' }));
    const now = new Date();
    expect(await ob.deliverDue(now)).toMatchObject({ attempted: 2, retrying: 2 });

    const changes = ob.setChannels(channels([hook('A', r2.url, 's2'), { type: 'jsonl', name: 'feed', path: 'alerts.jsonl' }]));
    expect(changes).toEqual({ added: ['feed'], removed: ['B'], changed: ['A'] });
    // Same clock as before: only the swap makes these due.
    expect(await ob.deliverDue(now)).toMatchObject({ attempted: 1, delivered: 1 });
    expect(r2.hits).toEqual([{ key: 'first@v2', signed: true }]);
    let st = await ob.status();
    expect(st.delivered.map((d) => d.channel)).toEqual(['A']);
    expect(st.dead).toHaveLength(1);
    expect(st.dead[0]).toMatchObject({ key: 'first@v2', channel: 'B' });
    expect(st.dead[0].lastError).toMatch(/^channel B is no longer in the alerts list of redline\.yaml; put it back and run `redline alerts --retry`/);

    expect(await ob.enqueue(makeAlert({ key: 'second@v3' }))).toEqual({ enqueued: true, channels: ['A', 'feed'] });
    expect(await ob.deliverDue(now)).toMatchObject({ attempted: 2, delivered: 2 });
    expect(r2.hits.map((h) => h.key)).toEqual(['first@v2', 'second@v3']);
    expect(r2.hits.every((h) => h.signed)).toBe(true);
    const lines = (await readFile(path.join(tmp.dir, 'alerts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.key)).toEqual(['second@v3']);
    expect(r1.hits.map((h) => h.key)).toEqual(['first@v2']);
    expect(r3.hits.map((h) => h.key)).toEqual(['first@v2']);
    st = await ob.status();
    expect(st.pending).toEqual([]);
  });

  it('an empty list claims nothing and keeps deliveries pending until channels come back', async () => {
    const r1 = await receiver('s1', () => 503);
    const r2 = await receiver('s2');
    const ob = new Outbox({ archive: tmp.dir, channels: channels([hook('A', r1.url, 's1')]), backoff: slow, random: () => 0.5 });
    await ob.enqueue(makeAlert({ key: 'held@v2' }));
    await ob.deliverDue(new Date());
    expect(ob.setChannels([])).toEqual({ added: [], removed: ['A'], changed: [] });
    // Far past any backoff: still nothing claimed, nothing dead.
    expect(await ob.deliverDue(new Date(Date.now() + 86_400_000))).toMatchObject({ attempted: 0 });
    let st = await ob.status();
    expect(st.pending.map((d) => [d.channel, d.attempts])).toEqual([['A', 1]]);
    expect(st.dead).toEqual([]);

    expect(ob.setChannels(channels([hook('A', r2.url, 's2')])).added).toEqual(['A']);
    // Came back under the same id: it waits out its backoff, then goes to the new receiver.
    expect(await ob.deliverDue(new Date())).toMatchObject({ attempted: 0 });
    expect(await ob.deliverDue(new Date(Date.now() + 86_400_000))).toMatchObject({ delivered: 1 });
    expect(r2.hits).toEqual([{ key: 'held@v2', signed: true }]);
    st = await ob.status();
    expect(st.delivered.map((d) => d.attempts)).toEqual([2]);
  });

  it('a send running during the swap finishes on the old settings; the next alert uses the new ones', async () => {
    let release: (status: number) => void = () => {};
    const held = new Promise<number>((resolve) => (release = resolve));
    const r1 = await receiver('s1', () => held);
    const r2 = await receiver('s2');
    const ob = new Outbox({ archive: tmp.dir, channels: channels([hook('A', r1.url, 's1')]), backoff: slow });
    await ob.enqueue(makeAlert({ key: 'inflight@v2' }));
    const round = ob.deliverDue(new Date());
    while (r1.hits.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(ob.setChannels(channels([hook('A', r2.url, 's2')])).changed).toEqual(['A']);
    release(204);
    expect(await round).toMatchObject({ attempted: 1, delivered: 1 });
    expect(r1.hits).toEqual([{ key: 'inflight@v2', signed: true }]);

    await ob.enqueue(makeAlert({ key: 'after@v3' }));
    expect(await ob.deliverDue(new Date())).toMatchObject({ delivered: 1 });
    expect(r2.hits).toEqual([{ key: 'after@v3', signed: true }]);
    expect((await ob.status()).delivered.map((d) => `${d.key} ${d.channel}`)).toEqual(['inflight@v2 A', 'after@v3 A']);
  });
});

describe('WatchAlerts', () => {
  const config = (alerts: string) =>
    parseConfigText(`archive: ./archive\nsources:\n  - id: s\n    url: http://127.0.0.1:9/s\nalerts:${alerts}\n`, path.join(tmp.dir, 'redline.yaml'), {});

  it('opens the outbox when a list without channels gains one, logs what changed, and undo puts the old list back', async () => {
    const r1 = await receiver('s1');
    const logged: Array<{ fields: Record<string, unknown>; msg: string }> = [];
    const logger = { info: (fields: Record<string, unknown>, msg: string) => logged.push({ fields, msg }), warn: () => {} };
    const alerts = WatchAlerts.open(config(' []'), logger);
    expect(alerts.outbox).toBeUndefined();
    expect(alerts.sink).toBeUndefined();
    expect(await alerts.deliverDue(new Date())).toBeUndefined();

    const withA = config(`\n  - type: webhook\n    name: A\n    url: ${r1.url}\n    secret: s1`);
    alerts.prepare(withA).commit();
    expect(logged.at(-1)).toMatchObject({ msg: 'alert channels reloaded', fields: { added: ['A'], removed: [], changed: [], channels: 1 } });
    expect(alerts.sink).toBe(alerts);
    await alerts.sink!.enqueue(makeAlert({ key: 'gained@v2' }));
    expect(await alerts.deliverDue(new Date())).toMatchObject({ delivered: 1 });
    expect(r1.hits).toEqual([{ key: 'gained@v2', signed: true }]);

    const none = alerts.prepare(config(' []'));
    none.commit();
    expect(logged.at(-1)).toMatchObject({ fields: { removed: ['A'] } });
    expect(alerts.sink).toBeUndefined();
    none.undo();
    expect(alerts.sink).toBe(alerts);
    expect(alerts.outbox!.currentChannels().map((c) => c.id)).toEqual(['A']);

    // A channel the loader would have refused is refused here too, before anything changes.
    expect(() => alerts.prepare(config('\n  - type: webhook\n    name: A'))).toThrow(/redline\.yaml.*alerts\[0\]\.settings\.url/);
    expect(alerts.outbox!.currentChannels().map((c) => c.id)).toEqual(['A']);
  });
});
