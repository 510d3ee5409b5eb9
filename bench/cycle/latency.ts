/**
 * Alert latency: `redline watch` (the real CLI, as a child process) checks a few sources on
 * a 6-field cron schedule with a webhook channel pointing at a loopback receiver here. A
 * page is changed at a random point of the schedule period; the sample is the time from
 * the file being rewritten to the webhook arriving. Expected: about half a period on
 * average (waiting for the next tick) plus the check and the delivery.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { prng } from '../corpus.js';
import { openFsStore } from '../../src/store/index.js';
import { writePage } from './pages.js';
import { repoRoot, scriptArgs, sourceId, writeWatchList } from './redline.js';

export interface LatencyOptions {
  dir: string;
  docRoot: string;
  origin: string;
  seed: number;
  /** Page indices to watch (pages are written here; use indices outside the main set). */
  indices: number[];
  samples: number;
  periodSeconds?: number;
  log: (line: string) => void;
}

export interface LatencyResult {
  periodMs: number;
  samplesMs: number[];
  missed: number;
}

interface Arrival {
  at: number;
  source: string;
  version: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function latencyBench(o: LatencyOptions): Promise<LatencyResult> {
  const period = o.periodSeconds ?? 2;
  const periodMs = period * 1000;
  const arrivals: Arrival[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const at = performance.now();
    readBody(req)
      .then((body) => {
        const p = JSON.parse(body) as { source?: { id?: string }; versions?: { to?: number } };
        arrivals.push({ at, source: String(p.source?.id), version: Number(p.versions?.to) });
        res.writeHead(204).end();
        for (const w of waiters) w();
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;

  const rev = new Map<number, number>();
  const written = new Map<number, number>();
  for (const i of o.indices) {
    writePage(o.docRoot, o.seed, i, 0);
    rev.set(i, 0);
    written.set(i, performance.now());
  }
  const archive = join(o.dir, 'latency-archive');
  const config = join(o.dir, 'latency.yaml');
  writeWatchList(config, {
    archive,
    origin: o.origin,
    indices: o.indices,
    schedule: `*/${period} * * * * *`,
    alertsYaml: `  - type: webhook\n    url: ${hook}`,
  });
  const child = spawn(process.execPath, [...scriptArgs('src/cli/main.ts'), '-c', config, 'watch'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const died = () => new Error(`redline watch (${config}) exited early:\n${output.trim().split('\n').slice(-8).join('\n')}`);

  const result: LatencyResult = { periodMs, samplesMs: [], missed: 0 };
  try {
    // Every source holds version 1 before any change is made.
    const store = await openFsStore(archive, { readOnly: true }).catch(() => undefined);
    const deadline = performance.now() + 60_000;
    let ready = false;
    let reader = store;
    while (!ready) {
      if (exited) throw died();
      if (performance.now() > deadline) throw new Error(`redline watch did not store the first versions within 60 s:\n${output.slice(-1500)}`);
      await sleep(200);
      reader ??= await openFsStore(archive, { readOnly: true }).catch(() => undefined);
      if (!reader) continue;
      const heads = await Promise.all(o.indices.map((i) => reader!.head(sourceId(i)).catch(() => undefined)));
      ready = heads.every((h) => h?.version === 1);
    }
    const rnd = prng(o.seed + 99);
    for (let s = 0; s < o.samples; s++) {
      const index = o.indices[s % o.indices.length]!;
      // A random point in the period; and nginx's validators have 1 s resolution, so a file
      // rewritten within the same second as before could keep its ETag: wait that out.
      await sleep(rnd() * periodMs);
      const since = performance.now() - written.get(index)!;
      if (since < 1100) await sleep(1100 - since);
      const next = rev.get(index)! + 1;
      rev.set(index, next);
      writePage(o.docRoot, o.seed, index, next);
      const t0 = performance.now();
      written.set(index, t0);
      const id = sourceId(index);
      const version = next + 1;
      const got = await new Promise<Arrival | undefined>((resolve) => {
        const check = () => {
          const a = arrivals.find((x) => x.source === id && x.version >= version);
          if (a || exited || performance.now() - t0 > 30_000) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(a);
          }
        };
        const timer = setTimeout(check, 30_000);
        waiters.add(check);
        check();
      });
      if (exited) throw died();
      if (got) result.samplesMs.push(got.at - t0);
      else result.missed++;
      o.log(`latency sample ${s + 1}/${o.samples} (${id} → v${version}): ${got ? `${(got.at - t0).toFixed(0)} ms` : 'no webhook within 30 s'}`);
    }
  } finally {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(20_000)]);
      if (!exited) child.kill('SIGKILL');
    }
    await new Promise((r) => server.close(r));
  }
  return result;
}
