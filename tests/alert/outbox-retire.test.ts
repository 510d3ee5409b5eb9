/**
 * Retiring delivered alerts (outbox-retire.ts): the outbox's working set stays bounded however
 * many alerts pass through, nothing is sent twice or lost, and a crash mid-retire is repaired.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alert/outbox.js';
import { OutboxLog } from '../../src/alert/outbox-log.js';
import { retireAlerts } from '../../src/alert/outbox-retire.js';
import { validateChannels } from '../../src/alert/registry.js';
import type { ChannelConfig } from '../../src/config/types.js';
import { makeAlert, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

const feed = (): ChannelConfig => ({ type: 'jsonl', sources: [], tags: [], settings: { path: path.join(tmp.dir, 'out.jsonl') } });
/** A channel that always refuses: its deliveries go dead at once (non-retryable). */
const refused = (): ChannelConfig => ({ type: 'webhook', sources: [], tags: [], settings: { name: 'refused', url: 'http://127.0.0.1:9/' } });

function outbox(configs: ChannelConfig[], extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}): Outbox {
  const { channels, problems } = validateChannels(configs, path.join(tmp.dir, 'redline.yaml'));
  expect(problems).toEqual([]);
  return new Outbox({ archive: tmp.dir, channels, backoff: { baseMs: 0, capMs: 0, maxAttempts: 1 }, compactMinLines: 50, keepDelivered: 10, ...extra });
}

const outboxDir = () => path.join(tmp.dir, 'outbox');
const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
const sentKeys = async () => (await lines(path.join(outboxDir(), 'sent.jsonl'))).map((l) => JSON.parse(l).key as string);
const delivered = async () => (await lines(path.join(tmp.dir, 'out.jsonl'))).map((l) => JSON.parse(l).key as string);

async function countFiles(folder: string): Promise<number> {
  let n = 0;
  for (const shard of await readdir(folder).catch(() => [] as string[])) n += (await readdir(path.join(folder, shard))).length;
  return n;
}

async function flow(ob: Outbox, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await ob.enqueue(makeAlert({ key: `s${i % 7}@v${i}`, source: `s${i % 7}` }));
    await ob.deliverDue(new Date());
  }
}

describe('outbox retiring delivered alerts', () => {
  it('keeps the working set bounded while 300 alerts pass through, each delivered once', async () => {
    const ob = outbox([feed()]);
    await flow(ob, 0, 300);
    const st = await ob.status();
    // Newest 10 kept, plus what arrived since the last compaction (it runs every ~50 lines = 16 alerts).
    expect(st.delivered.length).toBeGreaterThanOrEqual(10);
    expect(st.delivered.length).toBeLessThanOrEqual(10 + 17);
    expect(st.pending).toEqual([]);
    expect(st.sentLog).toBe(path.join(outboxDir(), 'sent.jsonl'));
    expect((await lines(path.join(outboxDir(), 'deliveries.jsonl'))).length).toBeLessThanOrEqual(50 + 4);
    expect(await countFiles(path.join(outboxDir(), 'alerts'))).toBe(st.delivered.length);

    const retired = await sentKeys();
    expect(new Set(retired).size).toBe(retired.length);
    expect(retired.length + st.delivered.length).toBe(300);
    expect(await countFiles(path.join(outboxDir(), 'sent'))).toBe(retired.length);
    const record = JSON.parse((await lines(path.join(outboxDir(), 'sent.jsonl')))[0]);
    expect(record).toMatchObject({ key: 's0@v0', source: 's0', event: 'changed', deliveries: [{ channel: expect.stringMatching(/^jsonl:/), attempts: 1 }] });
    expect(record.deliveries[0].deliveredAt).toMatch(/^\d{4}-/);
    // The file moved intact: the same bytes the outbox stored at enqueue.
    expect(JSON.parse(await readFile(path.join(outboxDir(), record.file), 'utf8'))).toEqual(makeAlert({ key: 's0@v0', source: 's0' }));

    const sent = await delivered();
    expect(sent).toHaveLength(300);
    expect(new Set(sent).size).toBe(300);
  });

  it('treats a retired key as known: re-deriving it after a restart sends nothing', async () => {
    await flow(outbox([feed()]), 0, 100);
    const retired = await sentKeys();
    expect(retired).toContain('s0@v0');
    const restarted = outbox([feed()]);
    expect(await restarted.enqueue(makeAlert({ key: 's0@v0', source: 's0' }))).toEqual({ enqueued: false, channels: [] });
    const round = await restarted.deliverDue(new Date());
    expect(round.attempted).toBe(0);
    expect(await delivered()).toHaveLength(100);
  });

  it('never retires an alert with a dead or pending delivery, and retry still finds it', async () => {
    const ob = outbox([feed(), refused()]);
    await ob.enqueue(makeAlert({ key: 'dead-one@v1', source: 'dead-one' }));
    await ob.deliverDue(new Date());
    // From here on only the feed channel: the old alert's refused delivery stays dead.
    const later = outbox([feed(), { ...refused(), sources: ['nobody'] }]);
    await flow(later, 0, 200);
    const st = await later.status();
    expect(st.dead.map((d) => d.key)).toEqual(['dead-one@v1']);
    expect(await sentKeys()).not.toContain('dead-one@v1');
    expect(await later.retryDead('dead-one@v1')).toBe(1);
    expect((await later.status()).pending.map((d) => d.key)).toEqual(['dead-one@v1']);
  });

  it('finishes a retire that crashed after moving the files but before rewriting the log', async () => {
    const ob = outbox([feed()], { compactMinLines: 100_000 });
    await flow(ob, 0, 30);
    // Steps 1 and 2 of a compaction, then the "crash": the log still names every alert.
    const log = new OutboxLog(path.join(outboxDir(), 'deliveries.jsonl'));
    await log.refresh(false);
    const first = [...log.alerts.values()].slice(0, 20).map((alert) => ({
      alert, deliveries: alert.channels.map((c) => log.deliveries.get(`${alert.key}\n${c}`)!),
    }));
    await retireAlerts(outboxDir(), first);
    expect(await countFiles(path.join(outboxDir(), 'alerts'))).toBe(10);

    // A restarted process: recovers nothing, sends nothing again, and its compaction completes the retire.
    const restarted = outbox([feed()], { compactMinLines: 50 });
    expect((await restarted.deliverDue(new Date())).attempted).toBe(0);
    await flow(restarted, 30, 60);
    const st = await restarted.status();
    expect(st.delivered.length).toBeLessThanOrEqual(10 + 17);
    const retired = await sentKeys();
    // The twenty crashed ones are named twice (same record); every other key once.
    expect(new Set(retired).size + st.delivered.length).toBe(60);
    expect(retired.length - new Set(retired).size).toBeLessThanOrEqual(20);
    const sent = await delivered();
    expect(sent).toHaveLength(60);
    expect(new Set(sent).size).toBe(60);
  });
});
