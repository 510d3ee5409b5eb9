/**
 * The crash trial behind tests/crash and `npm run bench -- crash`. This (parent) process
 * serves K statement pages that change every cycle and a webhook receiver, all on 127.0.0.1;
 * scripts/crash-worker.ts checks and delivers in a loop and is SIGKILLed at random points,
 * then restarted, `kills` times. A last clean run checks once more and empties the outbox.
 * `trial()` returns what happened; `audit()` checks the archive and outbox it left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { prng } from '../helpers/prng.js';

export { prng };

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WORKER = path.join(ROOT, 'scripts', 'crash-worker.ts');


/**
 * Revision `rev` of statement `i`. Every revision changes figures and adds a sentence with a
 * watch term, so the rules judge every change significant and each one must alert.
 */
export function page(i: number, rev: number): string {
  const para = [
    `Statement ${i} on end-to-end encryption and public safety, revision ${rev}.`,
    `We, the undersigned, support strong encryption, which plays a crucial role in protecting personal data, privacy, intellectual property, trade secrets and cyber security.`,
    `The WePROTECT Global Alliance is a coalition of ${98 + rev} countries, ${39 + 2 * rev} of the largest companies in the global technology industry, and ${41 + 3 * rev} leading civil society organisations.`,
    ...Array.from({ length: rev % 4 }, (_, k) => `Addendum ${k + 1}: technology companies must provide lawful access to content in ${k + 2 + rev} further cases.`),
    'Law enforcement has a responsibility to protect citizens by investigating and prosecuting crime and safeguarding the vulnerable.',
  ];
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Statement ${i}</title></head><body><main><article><h1>Statement ${i}</h1>${para.map((p) => `<p>${p}</p>`).join('')}</article></main></body></html>`;
}

/**
 * When a run is killed: while starting up (opening the archive, repairing, recovering the
 * outbox); right after the worker acknowledged a version (the next source's append or
 * enqueue is under way); when the receiver has an alert but the worker has not marked it
 * sent; or at a random moment after "ready".
 */
export type Mode = 'startup' | 'afterAck' | 'betweenSendAndMark' | 'randomDelay';

export interface TrialOptions {
  kills: number;
  sources?: number;
  seed?: number;
  /** Longest wait after "ready" before the kill. */
  maxDelayMs?: number;
  /** Progress lines (the bench prints them). */
  log?: (line: string) => void;
}

export interface Trial {
  dir: string;
  archive: string;
  config: string;
  seed: number;
  kills: number;
  /** Runs that a SIGKILL ended (a run can finish its cycles first only if the kill came late; it then loops on, so all should be killed). */
  killed: number;
  /** How each kill was timed. */
  landed: Record<Mode, number>;
  /** Every "ack <source> v<N>" the workers printed (source → highest N). */
  acked: Map<string, Set<number>>;
  /** Idempotency-Key → number of webhook requests that carried it. */
  received: Map<string, number>;
  requests: number;
  cycles: number;
  elapsedMs: number;
  finalRun: { code: number | null; lines: string[]; stderr: string };
  cleanup(): Promise<void>;
}

interface Served {
  url: string;
  revs: number[];
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function servePages(k: number): Promise<Served> {
  const revs = Array.from({ length: k }, () => 0);
  const server = http.createServer((req, res) => {
    const m = /^\/s\/(\d+)$/.exec(req.url ?? '');
    if (!m || Number(m[1]) >= k) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not here\n');
    const body = Buffer.from(page(Number(m[1]), revs[Number(m[1])]!), 'utf8');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }).end(body);
  });
  return { url: await listen(server), revs, close: () => closeServer(server) };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/** Spawns the worker; `onLine` sees each complete stdout line (a line cut by the kill is dropped). */
function spawnWorker(args: string[], onLine: (line: string, child: ChildProcess) => void): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      onLine(line, child);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    // 'close' waits for stdio to drain as well as for the exit, so no acknowledged line is missed.
    child.on('close', (code, signal) => resolve({ code, signal, lines, stderr }));
  });
  return { child, done };
}

function watchList(archive: string, pages: string, receiver: string, k: number): string {
  const sources = Array.from({ length: k }, (_, i) => `  - id: crash-${i}\n    url: ${pages}/s/${i}\n`).join('');
  return `archive: ${JSON.stringify(archive)}
defaults:
  retries: 0
  timeout: 5s
  per_host_delay: 0
  per_host_concurrency: 8
watch_terms: [encryption, lawful access]
sources:
${sources}alerts:
  - type: webhook
    name: parent
    url: ${receiver}/hook
    secret: crash-trial
`;
}

export async function trial(opts: TrialOptions): Promise<Trial> {
  const seed = opts.seed ?? Date.now() % 1_000_000;
  const random = prng(seed);
  const k = opts.sources ?? 6;
  const maxDelay = opts.maxDelayMs ?? 600;
  const log = opts.log ?? (() => undefined);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'redline-crash-'));
  const archive = path.join(dir, 'archive');
  const pages = await servePages(k);
  const received = new Map<string, number>();
  let requests = 0;
  let onRequest: (() => void) | undefined;
  const receiver = http.createServer((req, res) => {
    req.resume().on('end', () => {
      onRequest?.();
      const key = String(req.headers['idempotency-key']);
      received.set(key, (received.get(key) ?? 0) + 1);
      requests++;
      res.writeHead(200).end('ok');
    });
  });
  const receiverUrl = await listen(receiver);
  const config = path.join(dir, 'redline.yaml');
  await writeFile(config, watchList(archive, pages.url, receiverUrl, k));

  const acked = new Map<string, Set<number>>();
  const landed: Record<Mode, number> = { startup: 0, afterAck: 0, betweenSendAndMark: 0, randomDelay: 0 };
  let cycles = 0;
  let killed = 0;
  const started = performance.now();
  const onLine = (line: string): void => {
    const ack = /^ack (\S+) v(\d+)$/.exec(line);
    if (ack) {
      const set = acked.get(ack[1]!) ?? new Set<number>();
      set.add(Number(ack[2]));
      acked.set(ack[1]!, set);
    } else if (/^cycle \d+$/.test(line)) {
      cycles++;
      // Each finished cycle, a random half of the statements is revised before the next.
      for (let i = 0; i < k; i++) if (random() < 0.5) pages.revs[i]!++;
    }
  };

  let readyMs = 1500;
  try {
    for (let n = 1; n <= opts.kills; n++) {
      const pick = random();
      const mode: Mode = pick < 0.1 ? 'startup' : pick < 0.4 ? 'betweenSendAndMark' : pick < 0.6 ? 'afterAck' : 'randomDelay';
      const delay = Math.floor(random() * maxDelay);
      const ackTarget = 1 + Math.floor(random() * k);
      const requestTarget = requests + 1 + Math.floor(random() * 3);
      const spawnedAt = performance.now();
      let acks = 0;
      let timer: NodeJS.Timeout | undefined;
      let fired = false;
      const kill = (c: ChildProcess, how: Mode): void => {
        if (fired) return;
        fired = true;
        landed[how]++;
        c.kill('SIGKILL');
      };
      const { child, done } = spawnWorker([config], (line, c) => {
        onLine(line);
        if (line === 'ready') {
          readyMs = performance.now() - spawnedAt;
          // Every plan ends in a kill: if its moment never comes (no change to alert), a late one.
          timer = setTimeout(() => kill(c, 'randomDelay'), mode === 'randomDelay' ? delay : 4 * maxDelay);
        }
        if (line.startsWith('ack ') && mode === 'afterAck' && ++acks === ackTarget) kill(c, 'afterAck');
      });
      // The request has reached the receiver, so the alert was sent; dying now means it was never marked sent.
      onRequest = mode === 'betweenSendAndMark' ? () => requests + 1 >= requestTarget && kill(child, 'betweenSendAndMark') : undefined;
      const startupTimer = mode === 'startup' ? setTimeout(() => kill(child, 'startup'), readyMs * (0.5 + random() * 0.6)) : undefined;
      const run = await done;
      clearTimeout(timer);
      clearTimeout(startupTimer);
      onRequest = undefined;
      if (run.signal === 'SIGKILL') killed++;
      else throw new Error(`crash-worker exited by itself (code ${run.code}, signal ${run.signal}) in run ${n} (seed ${seed}):\n${run.stderr}`);
      if (n % 10 === 0 || n === opts.kills) log(`${n}/${opts.kills} kills, ${cycles} cycles finished, ${requests} webhook requests`);
    }
    const last = spawnWorker([config, '--cycles', '1', '--final'], (line) => onLine(line));
    const finalRun = await last.done;
    return {
      dir, archive, config, seed, kills: opts.kills, killed, landed, acked, received, requests, cycles,
      elapsedMs: performance.now() - started,
      finalRun: { code: finalRun.code, lines: finalRun.lines, stderr: finalRun.stderr },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } finally {
    await pages.close();
    await closeServer(receiver);
  }
}

export interface Audit {
  /** Each a sentence naming what is wrong; empty when the trial left everything sound. */
  problems: string[];
  versions: number;
  entries: number;
  changeAlerts: number;
  delivered: number;
  /** Webhook requests beyond the first per key (re-sent after a kill between send and mark). */
  duplicates: number;
  /** Torn log tails the store cut off after kills, leftover temp files, unreferenced blobs (verify's notes). */
  repairs: number;
  leftovers: number;
  orphanNote?: string;
  verifyCli: { code: number | null; out: string };
}

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, out }));
  });
}

/** Checks the archive and outbox a trial left: the issue's crash conditions, one by one. */
export async function audit(t: Trial): Promise<Audit> {
  const { openFsStore } = await import('../../src/store/index.js');
  const { readOutboxStatus } = await import('../../src/alert/index.js');
  const problems: string[] = [];
  if (t.finalRun.code !== 0 || t.finalRun.lines.at(-1) !== 'done') {
    problems.push(`the final clean run failed (exit ${t.finalRun.code}): ${t.finalRun.stderr.slice(0, 2000)}`);
  }

  const verifyCli = await runCli(['verify', '--archive', t.archive]);
  if (verifyCli.code !== 0) problems.push(`redline verify exited ${verifyCli.code}: ${verifyCli.out.trim().slice(0, 1000)}`);

  const store = await openFsStore(t.archive, { readOnly: true });
  const report = await store.verify();
  if (!report.ok) problems.push(`store.verify: ${report.summary}`);
  const notes = report.notes ?? [];
  const repairs = notes.filter((n) => /torn log tail|repaired on open/.test(n.message)).length;
  const leftovers = notes.filter((n) => /leftover temp file/.test(n.message)).length;
  const orphanNote = notes.find((n) => /referenced by no log entry/.test(n.message))?.message;

  let versions = 0;
  let entries = 0;
  const changed: string[] = [];
  for (const source of await store.sources()) {
    // Whole lines only, each once: every line parses, seq runs 1..n, no hash repeats.
    const file = path.join(t.archive, 'sources', source, 'log.jsonl');
    const text = await readFile(file, 'utf8');
    if (!text.endsWith('\n')) problems.push(`${file}: last line has no newline (torn)`);
    const lines = text.split('\n').filter(Boolean);
    const hashes = new Set<string>();
    lines.forEach((line, i) => {
      let e: { seq?: number; hash?: string };
      try {
        e = JSON.parse(line) as { seq?: number; hash?: string };
      } catch {
        problems.push(`${file} line ${i + 1} is not JSON (torn): ${line.slice(0, 80)}`);
        return;
      }
      if (e.seq !== i + 1) problems.push(`${file} line ${i + 1} has seq ${e.seq}`);
      if (hashes.has(e.hash ?? '')) problems.push(`${file} line ${i + 1} repeats hash ${e.hash}`);
      hashes.add(e.hash ?? '');
    });
    entries += lines.length;
    const have = new Set((await store.versions(source)).map((v) => v.version));
    versions += have.size;
    for (const n of t.acked.get(source) ?? []) if (!have.has(n)) problems.push(`${source} v${n} was acknowledged but is not in the archive`);
    for (const e of await store.log(source)) if (e.outcome === 'changed') changed.push(`${source}@v${e.version}`);
  }
  for (const source of t.acked.keys()) if (!(await store.sources()).includes(source)) problems.push(`acknowledged source ${source} has no log`);
  await store.close();

  const status = await readOutboxStatus(t.archive);
  if (status.pending.length) problems.push(`${status.pending.length} deliveries still pending, first ${status.pending[0]!.key}`);
  if (status.dead.length) problems.push(`${status.dead.length} deliveries dead, first ${status.dead[0]!.key}: ${status.dead[0]!.lastError}`);
  const deliveredKeys = status.delivered.map((d) => d.key);
  const once = new Map<string, number>();
  for (const k of deliveredKeys) once.set(k, (once.get(k) ?? 0) + 1);
  // Every stored change alerts (the served changes are all significant), and is delivered.
  for (const key of changed) {
    if (!once.has(key)) problems.push(`stored change ${key} has no delivered alert`);
    if ((t.received.get(key) ?? 0) < 1) problems.push(`the receiver never saw ${key}`);
  }
  const outboxLog = await readFile(path.join(t.archive, 'outbox', 'deliveries.jsonl'), 'utf8');
  const marks = new Map<string, number>();
  for (const [i, line] of outboxLog.split('\n').filter(Boolean).entries()) {
    let rec: { op: string; state?: string; key: string };
    try {
      rec = JSON.parse(line) as { op: string; state?: string; key: string };
    } catch {
      problems.push(`outbox/deliveries.jsonl line ${i + 1} is not JSON (torn): ${line.slice(0, 80)}`);
      continue;
    }
    if (rec.op === 'state' && rec.state === 'delivered') marks.set(rec.key, (marks.get(rec.key) ?? 0) + 1);
  }
  for (const [key, n] of marks) if (n !== 1) problems.push(`${key} was recorded delivered ${n} times`);
  for (const [key, n] of once) if (n !== 1) problems.push(`${key} shows as delivered ${n} times in the status`);
  const alertFiles = (await readdir(path.join(t.archive, 'outbox', 'alerts'), { recursive: true })).filter((f) => String(f).endsWith('.json')).length;
  if (alertFiles < changed.length) problems.push(`${alertFiles} alert files for ${changed.length} stored changes`);

  const duplicates = [...t.received.values()].reduce((s, n) => s + n - 1, 0);
  return { problems, versions, entries, changeAlerts: changed.length, delivered: deliveredKeys.length, duplicates, repairs, leftovers, orphanNote, verifyCli };
}
