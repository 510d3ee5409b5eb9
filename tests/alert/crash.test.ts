/**
 * A child process enqueues and delivers alerts and is SIGKILLed at random points
 * (while enqueueing, between "sent" and "marked sent", or after a random delay), then
 * restarted. In the end every key must have reached the receiver at least once and
 * the outbox must show each delivered exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readOutboxStatus } from '../../src/alert/outbox-status.js';
import { type Receiver, startReceiver, tempDir } from './helpers.js';
import { prng } from '../helpers/prng.js';

const ALERTS = 48;
const KILLS = 30;
// Each run enqueues a few more alerts than the last, so every run has fresh work to be killed in.
const alertsForRun = (i: number) => Math.min(ALERTS, 2 * (i + 1));


let tmp: Awaited<ReturnType<typeof tempDir>>;
let receiver: Receiver;
let child: ChildProcess | undefined;
let killOnRequest = -1;
const received = new Map<string, number>();

beforeAll(async () => {
  tmp = await tempDir();
  receiver = await startReceiver((req, n) => {
    const key = String(req.headers['idempotency-key']);
    received.set(key, (received.get(key) ?? 0) + 1);
    // The request arrived, so the alert was sent; dying now means it was never marked sent.
    if (n === killOnRequest) child?.kill('SIGKILL');
    return { status: 200 };
  });
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await receiver.close();
  await tmp.cleanup();
});

function run(alerts: number, kill: { afterLines?: number; afterMs?: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'crash-child.ts')], {
      env: { ...process.env, ARCHIVE: tmp.dir, RECEIVER: `${receiver.url}/hook`, ALERTS: String(alerts) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    let stderr = '';
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    createInterface({ input: c.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.length === 1 && kill.afterMs !== undefined) timer = setTimeout(() => c.kill('SIGKILL'), kill.afterMs);
      if (kill.afterLines !== undefined && lines.length === kill.afterLines) c.kill('SIGKILL');
    });
    c.on('error', reject);
    // Wait for 'exit' so the dead child is reaped: a zombie would still look alive to the lock.
    c.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`crash-child failed (exit ${code}):\n${stderr}`));
      else resolve({ code, signal, lines });
    });
  });
}

it(`delivers every alert despite ${KILLS} SIGKILLs at random points`, { timeout: 240_000 }, async () => {
  const seed = Number(process.env.REDLINE_CRASH_SEED ?? Date.now() % 1_000_000);
  const random = prng(seed);
  let killed = 0;
  const how = { enqueue: 0, send: 0, delay: 0 };
  for (let i = 0; i < KILLS; i++) {
    const pick = random();
    const requestsSoFar = receiver.requests.length;
    if (pick < 0.3) {
      how.enqueue++;
      killOnRequest = -1;
      await run(alertsForRun(i), { afterLines: 1 + Math.floor(random() * alertsForRun(i)) }).then((r) => (killed += r.signal ? 1 : 0));
    } else if (pick < 0.75) {
      how.send++;
      killOnRequest = requestsSoFar + 1 + Math.floor(random() * 4);
      await run(alertsForRun(i), {}).then((r) => (killed += r.signal ? 1 : 0));
    } else {
      how.delay++;
      killOnRequest = -1;
      await run(alertsForRun(i), { afterMs: Math.floor(random() * 150) }).then((r) => (killed += r.signal ? 1 : 0));
    }
  }
  killOnRequest = -1;
  const last = await run(ALERTS, {});
  expect(last.code, `seed ${seed}`).toBe(0);
  expect(last.lines.at(-1)).toBe('done');

  const keys = Array.from({ length: ALERTS }, (_, i) => `crash-${i}@v1`);
  for (const key of keys) expect(received.get(key) ?? 0, `${key} never reached the receiver (seed ${seed})`).toBeGreaterThanOrEqual(1);

  const st = await readOutboxStatus(tmp.dir);
  expect(st.pending, `seed ${seed}`).toEqual([]);
  expect(st.dead).toEqual([]);
  expect(st.delivered.map((d) => d.key).sort()).toEqual([...keys].sort());

  // No delivery was ever marked delivered twice in the log's history.
  const log = await readFile(path.join(tmp.dir, 'outbox', 'deliveries.jsonl'), 'utf8');
  const marks = new Map<string, number>();
  for (const line of log.split('\n').filter(Boolean)) {
    const rec = JSON.parse(line) as { op: string; state?: string; key: string };
    if (rec.op === 'state' && rec.state === 'delivered') marks.set(rec.key, (marks.get(rec.key) ?? 0) + 1);
  }
  for (const key of keys) expect(marks.get(key), key).toBe(1);

  const duplicates = [...received.values()].reduce((s, n) => s + n - 1, 0);
  console.log(`crash test seed ${seed}: ${killed} runs killed (${how.enqueue} while enqueueing, ${how.send} between send and mark, ${how.delay} after a delay); ${receiver.requests.length} requests, ${duplicates} re-sent duplicates`);
  expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
});
