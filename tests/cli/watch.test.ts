/**
 * `redline watch` as a service: a real process on a 1-second schedule, a statement page that
 * is revised while it runs, a webhook receiver that checks the HMAC signature and refuses the
 * first delivery, a watch-list edit picked up without a restart, and a clean SIGTERM.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MALLOC_MMAP_THRESHOLD } from '../../src/cli/heap.js';

const bin = resolve(import.meta.dirname, '../../dist/cli/main.js');
const secret = 'test-secret';

let page = '<html><body><main><p>Ministers must protect encryption.</p><p>Signed by 5 governments.</p></main></body></html>';
const received: { key: string; body: string; valid: boolean }[] = [];
let refusals = 1;
let pages: Server;
let hooks: Server;

function listen(server: Server): Promise<string> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

let pageUrl = '';
let hookUrl = '';
beforeAll(async () => {
  pages = createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      if (refusals > 0) {
        refusals -= 1;
        return void res.writeHead(503).end();
      }
      received.push({ key: String(req.headers['idempotency-key']), body, valid: req.headers['x-redline-signature'] === expected });
      res.writeHead(204).end();
    });
  });
  pageUrl = `${await listen(pages)}/statement`;
  hookUrl = `${await listen(hooks)}/hook`;
});
afterAll(async () => {
  await new Promise((d) => pages.close(d));
  await new Promise((d) => hooks.close(d));
});

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('redline watch', { timeout: 120_000 }, () => {
  it('checks on schedule, alerts through a signed webhook with retries, reloads an edited list, stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redline-watch-'));
    const file = join(dir, 'redline.yaml');
    const config = (extra: string) => `archive: ./snapshots
defaults: { schedule: "* * * * * *", retries: 0, per_host_delay: 0 }
watch_terms: [encryption]
sources:
  - id: statement
    url: ${pageUrl}
${extra}alerts:
  - type: webhook
    url: ${hookUrl}
    secret: ${secret}
`;
    await writeFile(file, config(''));
    const child = spawn(process.execPath, [bin, '-c', file, 'watch'], { env: { ...process.env, LOG_LEVEL: 'info' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await until('the first check', () => out.includes('"outcome":"new"'));
      page = page.replace('must protect', 'should protect');
      await until('the webhook delivery', () => received.length > 0);
      expect(received[0].key).toBe('statement@v2');
      expect(received[0].valid).toBe(true);
      const payload = JSON.parse(received[0].body);
      expect(payload.source.id).toBe('statement');
      expect(JSON.stringify(payload)).toContain('should');

      // Add a source by editing the file: picked up without a restart.
      await writeFile(file, config(`  - id: second\n    url: ${pageUrl}?second\n`));
      await until('the added source to be checked', () => out.includes('"source":"second"'));
      // A broken edit is reported and the running list keeps going.
      await writeFile(file, 'sources: [');
      await until('the reload error', () => /redline\.yaml/.test(out) && /reload|keeping/i.test(out));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(received.filter((r) => r.key === 'statement@v2')).toHaveLength(1);
  });
});

describe('redline watch on Node 22/24', { timeout: 60_000 }, () => {
  // process.execve (Node 22.15+, 23.11+) lets the service restart itself with a young-generation
  // cap; Node 20 already has it by default (src/cli/heap.ts).
  const [major, minor] = process.versions.node.split('.').map(Number);
  const canExec = major >= 24 || (major === 23 && minor >= 11) || (major === 22 && minor >= 15);

  async function flagsOf(env: NodeJS.ProcessEnv): Promise<string[]> {
    return (await started(env)).args;
  }

  async function started(env: NodeJS.ProcessEnv): Promise<{ args: string[]; env: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'redline-semi-'));
    const file = join(dir, 'redline.yaml');
    await writeFile(file, `archive: ./snapshots\ndefaults: { schedule: "* * * * * *", retries: 0 }\nsources:\n  - id: statement\n    url: ${pageUrl}\n`);
    const child = spawn(process.execPath, [bin, '-c', file, 'watch'], { env: { ...process.env, LOG_LEVEL: 'info', ...env } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await until('the first check', () => out.includes('"outcome"'));
      // The pid spawn() returned is the service itself: a restart in place, not a child process.
      const read = async (what: string) => (await readFile(`/proc/${child.pid}/${what}`, 'utf8')).split('\0');
      return { args: await read('cmdline'), env: await read('environ') };
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }

  it('runs with a 16 MB semi-space where the runtime can restart in place, and with the default elsewhere', async () => {
    const args = await flagsOf({ NODE_OPTIONS: '' });
    expect(args.includes('--max-semi-space-size=16')).toBe(canExec);
    expect(args).toContain('watch');
  });

  it("keeps a user's own --max-semi-space-size", async () => {
    const args = await flagsOf({ NODE_OPTIONS: '--max-semi-space-size=8' });
    expect(args.some((a) => a.startsWith('--max-semi-space-size'))).toBe(false);
  });

  it("pins glibc's mmap threshold where it restarts in place, and keeps a user's own", async () => {
    // spawn() leaves out a variable whose value is undefined.
    const plain = await started({ NODE_OPTIONS: '', MALLOC_MMAP_THRESHOLD_: undefined });
    expect(plain.env.includes(`MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD}`)).toBe(canExec);
    // Both already set by the user: nothing to restart for, and nothing of theirs replaced.
    const own = await started({ NODE_OPTIONS: '--max-semi-space-size=8', MALLOC_MMAP_THRESHOLD_: '65536' });
    expect(own.env).toContain('MALLOC_MMAP_THRESHOLD_=65536');
    expect(own.args.some((a) => a.startsWith('--max-semi-space-size'))).toBe(false);
  });
});
