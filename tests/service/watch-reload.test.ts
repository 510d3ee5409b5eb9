/**
 * `redline watch` reloading its alert channels, end to end: a real statement page on loopback
 * that is revised while the service runs, two real webhook receivers that check the HMAC
 * signature, and a jsonl file. Once in-process through handle.reload(), once as a real
 * `redline watch` process (dist/) reloaded by SIGHUP alone.
 */
import { spawn, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, renameSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatch } from '../../src/cli/commands/watch.js';
import { memoryLogger, waitFor } from './helpers.js';

const bin = path.resolve(import.meta.dirname, '../../dist/cli/main.js');
const root = mkdtempSync(path.join(tmpdir(), 'redline-chreload-'));
const servers: Server[] = [];

let revision = 0;
function page(): string {
  // Each revision weakens or restores the modal of the sentence watch_terms points at: an alert every time.
  const modal = revision % 2 === 0 ? 'must' : 'should';
  return `<html><body><main><p>Ministers ${modal} protect encryption (revision ${revision}).</p><p>Signed by five governments.</p></main></body></html>`;
}

function listen(server: Server): Promise<string> {
  servers.push(server);
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

interface Receiver {
  url: string;
  /** Idempotency keys received with a valid signature; a bad signature is recorded as "bad:<key>". */
  keys: string[];
}
async function receiver(secret: string, status = 204): Promise<Receiver> {
  const keys: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const expected = `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
      const key = String(req.headers['idempotency-key']);
      keys.push(req.headers['x-redline-signature'] === expected ? key : `bad:${key}`);
      res.writeHead(status).end();
    });
  });
  return { url: `${await listen(server)}/hook`, keys };
}

let pageUrl = '';
beforeAll(async () => {
  pageUrl = `${await listen(createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
  }))}/statement`;
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  rmSync(root, { recursive: true, force: true });
});

type Channel = { type: string; [k: string]: string };
function watchList(dir: string, channels: Channel[]): string {
  const lines = [
    `archive: ${path.join(dir, 'snapshots')}`,
    'defaults: { schedule: "* * * * * *", retries: 0, per_host_delay: 0 }',
    'watch_terms: [encryption]',
    'sources:',
    `  - id: statement`,
    `    url: ${pageUrl}`,
    channels.length ? 'alerts:' : 'alerts: []',
  ];
  for (const c of channels) lines.push(...Object.entries(c).map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`));
  return `${lines.join('\n')}\n`;
}

function write(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

const jsonlKeys = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).key);
  } catch {
    return [];
  }
};

/** Revise the page and return the alert key the next check will raise. */
function revise(versionsSoFar: number): string {
  revision++;
  return `statement@v${versionsSoFar + 1}`;
}

describe('redline watch reloads its alert channels', { timeout: 90_000 }, () => {
  it('in-process: gains a channel, refuses a bad one (the old one keeps alerting), then moves A to receiver 2 and adds a jsonl file', async () => {
    const dir = path.join(root, 'inproc');
    mkdirSync(dir);
    const file = path.join(dir, 'redline.yaml');
    const feed = path.join(dir, 'alerts.jsonl');
    const r1 = await receiver('secret-one');
    const r2 = await receiver('secret-two');
    const a1 = { type: 'webhook', name: 'A', url: r1.url, secret: 'secret-one' };
    write(file, watchList(dir, []));
    const { logger, lines } = memoryLogger('info');
    const { handle, alerts, finished } = await startWatch(file, { logger, service: { signals: false, watchConfig: false, outboxIntervalMs: 60_000 } });
    // The scheduler's line of each finished check (the pipeline logs its own without `ms`).
    const checks = (outcome: string) => lines.filter((l) => l.msg === 'check' && l.ms !== undefined && l.outcome === outcome).length;
    try {
      await waitFor(() => checks('new') === 1, 15_000, 'the first check');
      // No channels: a change is archived, nothing is queued.
      revise(1);
      await waitFor(() => checks('changed') === 1, 15_000, 'a change with no channels');
      expect(alerts.outbox).toBeUndefined();

      write(file, watchList(dir, [a1]));
      expect(await handle.reload('test')).toBe(true);
      expect(lines.find((l) => l.msg === 'alert channels reloaded')).toMatchObject({ added: ['A'], removed: [], changed: [] });
      let key = revise(2);
      await waitFor(() => r1.keys.includes(key), 15_000, `${key} at receiver 1`);

      write(file, watchList(dir, [{ type: 'webhook', name: 'A', secret: 'secret-one' }]));
      expect(await handle.reload('test')).toBe(false);
      const failed = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('config reload failed'))!;
      expect(String(failed.error)).toContain(`${file}:`);
      expect(String(failed.error)).toMatch(/alerts\[0\]\.url/);
      key = revise(3);
      await waitFor(() => r1.keys.includes(key), 15_000, `${key} at receiver 1 after the refused edit`);

      write(file, watchList(dir, [{ ...a1, url: r2.url, secret: 'secret-two' }, { type: 'jsonl', name: 'feed', path: feed }]));
      expect(await handle.reload('test')).toBe(true);
      expect(lines.filter((l) => l.msg === 'alert channels reloaded').at(-1)).toMatchObject({ added: ['feed'], removed: [], changed: ['A'] });
      key = revise(4);
      await waitFor(() => r2.keys.includes(key) && jsonlKeys(feed).includes(key), 15_000, `${key} at receiver 2 and in the jsonl file`);
      // v2, detected while there were no channels, is the source's newest entry when A arrives:
      // the first check after the reload re-derives its alert, as a restart with A would.
      expect([...r1.keys].sort()).toEqual(['statement@v2', 'statement@v3', 'statement@v4']);
      expect(r2.keys).toEqual([key]);
      expect(jsonlKeys(feed)).toEqual([key]);
    } finally {
      await handle.stop({ graceMs: 0 });
      await finished;
    }
  });

  it('a real process reloaded by SIGHUP: the same swap, and a removed channel\'s pending delivery shows dead in `redline alerts`', async () => {
    const dir = path.join(root, 'proc');
    // The service watches the folder of the path it was given; a symlink there to a file kept
    // elsewhere makes SIGHUP the only way the process learns of an edit.
    const real = path.join(dir, 'real');
    mkdirSync(real, { recursive: true });
    const target = path.join(real, 'redline.yaml');
    const file = path.join(dir, 'redline.yaml');
    const feed = path.join(dir, 'alerts.jsonl');
    const r1 = await receiver('secret-one');
    const r2 = await receiver('secret-two');
    const refusing = await receiver('secret-b', 503);
    const a1 = { type: 'webhook', name: 'A', url: r1.url, secret: 'secret-one' };
    const b = { type: 'webhook', name: 'B', url: refusing.url, secret: 'secret-b' };
    write(target, watchList(dir, [a1, b]));
    symlinkSync(target, file);

    const child = spawn(process.execPath, [bin, '-c', file, 'watch'], { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: Array<Record<string, unknown>> = [];
    let partial = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      const parts = (partial + c.toString('utf8')).split('\n');
      partial = parts.pop()!;
      for (const l of parts) if (l.startsWith('{')) logs.push(JSON.parse(l));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const logged = (msg: string) => logs.filter((l) => l.msg === msg);
    try {
      await waitFor(() => logs.some((l) => l.msg === 'check' && l.outcome === 'new'), 20_000, `the first check (stderr: ${stderr})`);

      write(target, watchList(dir, [{ type: 'webhook', name: 'A', secret: 'secret-one' }, b]));
      child.kill('SIGHUP');
      await waitFor(() => logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('config reload failed')), 10_000, 'the refused reload');
      const failed = logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('config reload failed'))!;
      expect(failed).toMatchObject({ reason: 'SIGHUP' });
      expect(String(failed.error)).toMatch(/redline\.yaml:\d+:\d+ alerts\[0\]\.url/);
      let key = revise(1);
      await waitFor(() => r1.keys.includes(key) && refusing.keys.includes(key), 15_000, `${key} at receiver 1 (and refused by B)`);

      write(target, watchList(dir, [{ ...a1, url: r2.url, secret: 'secret-two' }, { type: 'jsonl', name: 'feed', path: feed }]));
      child.kill('SIGHUP');
      await waitFor(() => logged('alert channels reloaded').length === 1, 10_000, 'the SIGHUP reload');
      expect(logged('watch list reloaded')).toMatchObject([{ reason: 'SIGHUP' }]);
      expect(logged('alert channels reloaded')[0]).toMatchObject({ added: ['feed'], removed: ['B'], changed: ['A'] });
      key = revise(2);
      await waitFor(() => r2.keys.includes(key) && jsonlKeys(feed).includes(key), 15_000, `${key} at receiver 2 and in the jsonl file`);
      expect(r1.keys).toEqual(['statement@v2']);
      expect(r2.keys).toEqual([key]);
      // B may have been retried before the reload (full-jitter backoff), never with the next alert.
      expect(new Set(refusing.keys)).toEqual(new Set(['statement@v2']));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    // No file watch fired: every reload came from a SIGHUP.
    expect(logs.filter((l) => l.reason === 'file changed')).toEqual([]);

    const { stdout } = await promisify(execFile)(process.execPath, [bin, '-c', file, 'alerts']);
    expect(stdout).toMatch(/^dead: 1$/m);
    expect(stdout).toMatch(/statement@v2 → B\t\d+ attempt\(s\).*channel B is no longer in the alerts list of redline\.yaml; put it back and run `redline alerts --retry`/);
    expect(stdout).toMatch(/^pending: 0$/m);
  });
});
