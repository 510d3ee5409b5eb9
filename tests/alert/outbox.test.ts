import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alert/outbox.js';
import { readOutboxStatus } from '../../src/alert/outbox-status.js';
import { validateChannels } from '../../src/alert/registry.js';
import type { ChannelConfig } from '../../src/config/types.js';
import { type Receiver, makeAlert, startReceiver, tempDir } from './helpers.js';

const SECRET = 'test-secret-☃';

function verifySignature(body: string, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body, 'utf8').digest('hex')}`);
  const got = Buffer.from(String(header ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let receivers: Receiver[] = [];
beforeEach(async () => {
  tmp = await tempDir();
  receivers = [];
});
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await tmp.cleanup();
});

async function receiver(reply: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

function outbox(configs: ChannelConfig[], extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}): Outbox {
  const { channels, problems } = validateChannels(configs, path.join(tmp.dir, 'redline.yaml'));
  expect(problems).toEqual([]);
  return new Outbox({ archive: tmp.dir, channels, backoff: { baseMs: 1000, capMs: 60_000, maxAttempts: 4 }, random: () => 0.5, ...extra });
}

const hook = (url: string, routing: Partial<ChannelConfig> = {}): ChannelConfig => ({ type: 'webhook', sources: [], tags: [], settings: { url, secret: SECRET }, ...routing });

describe('outbox with a real webhook receiver', () => {
  it('retries two 503s with backoff and delivers on the third attempt, signed', async () => {
    const r = await receiver((req, n) => (verifySignature(req.body, req.headers['x-redline-signature']) ? { status: n <= 2 ? 503 : 204 } : { status: 401 }));
    const ob = outbox([hook(`${r.url}/hook`)]);
    const t0 = new Date('2024-05-01T10:00:00Z');
    expect(await ob.enqueue(makeAlert())).toMatchObject({ enqueued: true });

    const w0 = Date.now();
    const first = await ob.deliverDue(t0);
    const took = Date.now() - w0;
    expect(first).toMatchObject({ attempted: 1, delivered: 0, retrying: 1 });
    expect(first.failures[0].error).toMatch(/webhook http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 503/);
    let st = await ob.status();
    expect(st.pending[0]).toMatchObject({ attempts: 1, state: 'pending' });
    // Full jitter with random 0.5: half of base (1000 ms) after the first failure, counted
    // from the caller's clock plus the time the round took.
    const wait = Date.parse(st.pending[0].nextAttemptAt!) - t0.getTime();
    expect(wait).toBeGreaterThanOrEqual(500);
    expect(wait).toBeLessThanOrEqual(500 + took);
    expect((await ob.deliverDue(new Date('2024-05-01T10:00:00.100Z'))).attempted).toBe(0);

    expect((await ob.deliverDue(new Date('2024-05-01T10:00:01Z'))).retrying).toBe(1);
    st = await ob.status();
    // Second failure: half of 2 × base.
    expect(Date.parse(st.pending[0].nextAttemptAt!) - Date.parse('2024-05-01T10:00:01Z')).toBeGreaterThanOrEqual(1000);
    expect((await ob.deliverDue(new Date('2024-05-01T10:05:00Z'))).delivered).toBe(1);

    expect(r.requests).toHaveLength(3);
    for (const req of r.requests) {
      expect(verifySignature(req.body, req.headers['x-redline-signature'])).toBe(true);
      expect(req.headers['idempotency-key']).toBe('five-eyes-2020@v2');
      expect(req.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(r.requests.map((q) => q.headers['x-redline-delivery-attempt'])).toEqual(['1', '2', '3']);
    const body = JSON.parse(r.requests[2].body);
    expect(body).toMatchObject({
      schema: 'redline.alert/1',
      key: 'five-eyes-2020@v2',
      event: 'changed',
      source: { id: 'five-eyes-2020', tags: ['encryption'] },
      versions: { from: 1, to: 2 },
      times: { detected: '2024-05-01T09:30:00.000Z' },
      significance: { level: 'high' },
      links: { diff: 'https://redline.example.org/diff/five-eyes-2020/1..2' },
    });
    expect(body.diff.changes[0]).toMatchObject({ removed: 'must not', added: 'should' });
    st = await ob.status();
    expect(st.pending).toEqual([]);
    expect(st.delivered).toHaveLength(1);
    expect(st.delivered[0].attempts).toBe(3);
    expect(st.delivered[0].lastError).toBeUndefined();
  });

  it('goes dead after max attempts, and retryDead brings it back', async () => {
    let healthy = false;
    const r = await receiver(() => ({ status: healthy ? 200 : 500, body: 'boom' }));
    const ob = outbox([hook(r.url)]);
    await ob.enqueue(makeAlert());
    let t = Date.parse('2024-05-01T10:00:00Z');
    for (let i = 0; i < 4; i++) {
      await ob.deliverDue(new Date(t));
      t += 3_600_000;
    }
    expect(r.requests).toHaveLength(4);
    let st = await ob.status();
    expect(st.pending).toEqual([]);
    expect(st.dead).toHaveLength(1);
    expect(st.dead[0].lastError).toMatch(/answered HTTP 500: boom \(gave up after 4 attempts\)/);
    // Nothing more happens to a dead delivery.
    expect((await ob.deliverDue(new Date(t + 1e9))).attempted).toBe(0);

    healthy = true;
    expect(await ob.retryDead('no-such-key')).toBe(0);
    expect(await ob.retryDead('five-eyes-2020@v2')).toBe(1);
    st = await ob.status();
    expect(st.dead).toEqual([]);
    expect(st.pending[0]).toMatchObject({ attempts: 0, state: 'pending' });
    expect((await ob.deliverDue(new Date())).delivered).toBe(1);
    expect((await ob.status()).delivered).toHaveLength(1);
  });

  it('sends a refused delivery (4xx) straight to the dead list with the reason', async () => {
    const r = await receiver(() => ({ status: 410, body: 'hook deleted' }));
    const ob = outbox([hook(r.url)]);
    await ob.enqueue(makeAlert());
    const res = await ob.deliverDue(new Date());
    expect(res).toMatchObject({ attempted: 1, dead: 1 });
    const st = await ob.status();
    expect(st.dead[0].lastError).toMatch(/answered HTTP 410: hook deleted \(the receiver refused it; fix the channel settings/);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const r = await receiver((_, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 200 }));
    const ob = outbox([hook(r.url)]);
    await ob.enqueue(makeAlert());
    await ob.deliverDue(new Date('2024-05-01T10:00:00Z'));
    const st = await ob.status();
    expect(Date.parse(st.pending[0].nextAttemptAt!) - Date.parse('2024-05-01T10:00:00Z')).toBeGreaterThanOrEqual(120_000);
  });

  it('enqueues a key once, and routes by sources and tags', async () => {
    const all = await receiver(() => ({ status: 200 }));
    const uk = await receiver(() => ({ status: 200 }));
    const other = await receiver(() => ({ status: 200 }));
    const ob = outbox([hook(all.url), hook(uk.url, { tags: ['uk'] }), hook(other.url, { sources: ['someone-else'] })]);
    const a = makeAlert({ tags: ['encryption', 'uk'] });
    const first = await ob.enqueue(a);
    expect(first.enqueued).toBe(true);
    expect(first.channels).toHaveLength(2);
    expect(await ob.enqueue({ ...a, summary: 'different text, same key' })).toMatchObject({ enqueued: false });
    await ob.enqueue(makeAlert({ key: 'five-eyes-2020@v3', tags: [] }));
    await ob.deliverDue(new Date());
    expect(all.requests.map((q) => q.headers['idempotency-key']).sort()).toEqual(['five-eyes-2020@v2', 'five-eyes-2020@v3']);
    expect(uk.requests.map((q) => q.headers['idempotency-key'])).toEqual(['five-eyes-2020@v2']);
    expect(other.requests).toEqual([]);
    expect((await ob.status()).delivered).toHaveLength(3);
  });

  it('marks deliveries to a channel removed from the config as dead, with what to do', async () => {
    const r = await receiver(() => ({ status: 200 }));
    await outbox([hook(r.url)]).enqueue(makeAlert());
    const later = outbox([hook(`${r.url}/moved`)]);
    await later.deliverDue(new Date());
    const st = await later.status();
    expect(st.dead[0].lastError).toMatch(/channel webhook:[0-9a-f]{8} is no longer in the alerts list of redline\.yaml; put it back and run `redline alerts --retry`/);
    expect(r.requests).toEqual([]);
  });
});

describe('outbox crash recovery', () => {
  it('queues an alert file whose enqueue record never made it to the log', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const ob = outbox([hook(r.url)]);
    await ob.enqueue(makeAlert());
    // Simulate a writer that died after storing the alert file but before logging it.
    const log = path.join(tmp.dir, 'outbox', 'deliveries.jsonl');
    const before = await readFile(log, 'utf8');
    await ob.enqueue(makeAlert({ key: 'orphan@v7' }));
    await writeFile(log, before);
    const fresh = outbox([hook(r.url)]);
    await fresh.deliverDue(new Date());
    expect(r.requests.map((q) => q.headers['idempotency-key']).sort()).toEqual(['five-eyes-2020@v2', 'orphan@v7']);
  });

  it('cuts a torn last line on the next locked open, and status ignores it without repairing', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const ob = outbox([hook(r.url)]);
    await ob.enqueue(makeAlert());
    const log = path.join(tmp.dir, 'outbox', 'deliveries.jsonl');
    await appendFile(log, '{"op":"state","key":"five-eyes-2020@v2","chan');
    expect((await readOutboxStatus(tmp.dir)).pending).toHaveLength(1);
    expect(await readFile(log, 'utf8')).toMatch(/"chan$/);
    const warnings: string[] = [];
    const fresh = outbox([hook(r.url)], { logger: { info: () => undefined, warn: (_f, m) => warnings.push(m) } });
    expect((await fresh.deliverDue(new Date())).delivered).toBe(1);
    expect(warnings.join('\n')).toMatch(/cut a torn last record \(\d+ bytes\)/);
    const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('names file and line of a damaged record in the middle of the log', async () => {
    const ob = outbox([hook('http://127.0.0.1:9/')]);
    await ob.enqueue(makeAlert());
    const log = path.join(tmp.dir, 'outbox', 'deliveries.jsonl');
    await appendFile(log, 'garbage\n');
    await expect(readOutboxStatus(tmp.dir)).rejects.toThrow(/deliveries\.jsonl:2: unreadable outbox record .* fix or delete that line/);
  });

  it('compacts a long log without changing any state', async () => {
    const r = await receiver((_, n) => ({ status: n % 3 === 0 ? 200 : 503 }));
    const ob = outbox([hook(r.url)], { backoff: { baseMs: 0, capMs: 0, maxAttempts: 50 }, compactMinLines: 100 });
    for (let i = 0; i < 40; i++) await ob.enqueue(makeAlert({ key: `k${i}` }));
    for (let round = 0; round < 20 && (await ob.status()).pending.length > 0; round++) await ob.deliverDue(new Date());
    const log = path.join(tmp.dir, 'outbox', 'deliveries.jsonl');
    const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean).length;
    const st = await ob.status();
    expect(st.delivered).toHaveLength(40);
    // Without compaction: 40 enqueue lines plus 2 per attempt.
    expect(r.requests.length).toBeGreaterThan(60);
    expect(lines).toBeLessThan(40 + 2 * r.requests.length);
    expect(st.delivered.length).toBeGreaterThan(0);
    const again = await readOutboxStatus(tmp.dir);
    expect(again).toEqual(st);
  });

  it('stores each alert as its own file under outbox/alerts', async () => {
    const ob = outbox([hook('http://127.0.0.1:9/')]);
    await ob.enqueue(makeAlert());
    const shards = await readdir(path.join(tmp.dir, 'outbox', 'alerts'));
    const files = await readdir(path.join(tmp.dir, 'outbox', 'alerts', shards[0]));
    const stored = JSON.parse(await readFile(path.join(tmp.dir, 'outbox', 'alerts', shards[0], files[0]), 'utf8'));
    expect(stored).toEqual(makeAlert());
  });
});
