/**
 * The `redline` command as a user runs it: a real child process per command, a loopback
 * server playing a statement page that gets revised, a real archive in a temp folder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, readdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const statements = join(root, 'tests/fixtures/statements');
// The built command (npm test builds it first), exactly what `npx redline` runs.
const bin = join(root, 'dist/cli/main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function redline(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const v1 = `<html><head><title>Joint statement</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><h1>Joint statement on encryption</h1>
<p>We, the undersigned governments, have no interest or intention to weaken encryption.</p>
<p>Companies must provide lawful access to content in a readable and usable format.</p>
<p>This statement is signed by 5 governments.</p></main>
<footer>Crown copyright</footer></body></html>`;
const v2 = v1
  .replace('Companies must provide', 'Companies should provide')
  .replace('signed by 5 governments', 'signed by 7 governments <script>alert(1)</script>');

let server: Server;
let page = v1;
let base = '';
let dir = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/statement') return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'redline-cli-'));
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('redline (the command)', { timeout: 120_000 }, () => {
  it('init writes an example that list reads; add and remove keep comments', async () => {
    const own = await mkdtemp(join(tmpdir(), 'redline-cli-init-'));
    expect((await redline(own, 'init')).code).toBe(0);
    const listed = await redline(own, 'list', '--json');
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((s) => s.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const added = await redline(own, 'add', 'https://www.example.gov/statement', '--id', 'extra', '--tag', 'test');
    expect(added.code).toBe(0);
    const text = await readFile(join(own, 'redline.yaml'), 'utf8');
    expect(text).toContain('# Redline watch list.');
    expect(text).toContain('extra');
    expect((await redline(own, 'remove', 'extra')).code).toBe(0);
    expect(await readFile(join(own, 'redline.yaml'), 'utf8')).not.toContain('id: extra');
    expect((await redline(own, 'init')).code).not.toBe(0); // refuses to overwrite
  });

  it('refuses a bad watch list with file, line and field, and runs nothing', async () => {
    const own = await mkdtemp(join(tmpdir(), 'redline-cli-bad-'));
    await writeFile(join(own, 'redline.yaml'), `sources:\n  - id: ok\n    url: https://example.gov/a\n  - id: bad\n    url: ftp://example.gov/b\n    schedule: "*/61 * * * *"\n`);
    const run = await redline(own, 'check');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/redline\.yaml:5:\d+ sources\[1\]\.url/);
    expect(run.stderr).toMatch(/redline\.yaml:6:\d+ sources\[1\]\.schedule/);
    expect(await readdir(own)).toEqual(['redline.yaml']);
  });

  it('checks, archives, diffs in every format, answers log/show/blame/quote, and verifies', async () => {
    await writeFile(join(dir, 'redline.yaml'), `archive: ./snapshots
defaults: { retries: 0, per_host_delay: 0 }
watch_terms: [encryption, lawful access]
sources:
  - id: joint-statement
    url: ${base}/statement
`);
    page = v1;
    const first = await redline(dir, 'check');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('joint-statement: new (version 1)');
    page = v2;
    const second = await redline(dir, 'check', '--json');
    const outcome = JSON.parse(second.stdout).outcomes[0];
    expect(outcome).toMatchObject({ source: 'joint-statement', outcome: 'changed', version: 2 });

    const unified = await redline(dir, 'diff', 'joint-statement');
    expect(unified.code).toBe(0);
    expect(unified.stdout).toContain('[-must-]{+should+}');
    expect(unified.stdout).toMatch(/significance: (high|medium)/);

    const json = JSON.parse((await redline(dir, 'diff', 'joint-statement', '1', '2', '--json')).stdout);
    expect(json.changed).toBe(true);
    expect(json.alert).toBe(true);
    expect(json.stats.wordsAdded).toBeGreaterThan(0);
    expect(json.changes.some((c: { removed: string; added: string }) => c.removed.includes('must') && c.added.includes('should'))).toBe(true);

    const html = (await redline(dir, 'diff', 'joint-statement', '--format', 'html')).stdout;
    expect(html).toContain('<del');
    expect(html).not.toContain('<script>alert(1)</script>');
    const md = (await redline(dir, 'diff', 'joint-statement', '--format', 'md')).stdout;
    expect(md).toMatch(/should/);

    const log = JSON.parse((await redline(dir, 'log', 'joint-statement', '--json')).stdout);
    expect(log.map((e: { outcome: string }) => e.outcome)).toEqual(['new', 'changed']);
    const shown = await redline(dir, 'show', 'joint-statement', '--version', '1');
    expect(shown.stdout).toContain('Companies must provide lawful access');
    expect(shown.stdout).not.toContain('Crown copyright');
    const at = await redline(dir, 'show', 'joint-statement', '--at', log[0].time);
    expect(at.stdout).toContain('version 1');

    const blamed = JSON.parse((await redline(dir, 'blame', 'joint-statement', '--json')).stdout);
    const edited = blamed.find((l: { sentence: string }) => l.sentence.includes('should provide'));
    expect(edited.since.version).toBe(2);
    expect(edited.previously.text).toContain('must provide');

    const quote = JSON.parse((await redline(dir, 'quote', 'Companies must provide lawful access to content', '--json')).stdout);
    expect(quote.verdict).not.toBe('not-found');
    expect(quote.match.source).toBe('joint-statement');

    const ok = await redline(dir, 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('intact');
  });

  it('verify exits 1 and names the blob when a stored text is altered', async () => {
    const objects = join(dir, 'snapshots/objects/sha256');
    const [folder] = await readdir(objects);
    const [name] = await readdir(join(objects, folder));
    const file = join(objects, folder, name);
    const altered = Buffer.from(gunzipSync(await readFile(file)));
    altered[0] ^= 1;
    await chmod(file, 0o644);
    await writeFile(file, gzipSync(altered));
    const run = await redline(dir, 'verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(name.slice(0, 12));
  });

  it('signs the log heads after a check when the watch list names a key, and verify --key checks them', async () => {
    const own = await mkdtemp(join(tmpdir(), 'redline-cli-sign-'));
    expect((await redline(own, 'keygen', join(own, 'redline'))).code).toBe(0);
    await writeFile(join(own, 'redline.yaml'), `archive: ./snapshots
signing_key: ./redline.key
defaults: { retries: 0, per_host_delay: 0 }
sources: [{ id: joint-statement, url: "${base}/statement" }]
`);
    page = v1;
    expect((await redline(own, 'check')).code).toBe(0);
    const heads = JSON.parse(await readFile(join(own, 'snapshots/heads.json'), 'utf8'));
    expect(heads.heads['joint-statement'].seq).toBe(1);
    const good = await redline(own, 'verify', '--key', join(own, 'redline.pub'));
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('signed heads valid');
    const other = await redline(own, 'keygen', join(own, 'other'));
    expect(other.code).toBe(0);
    expect((await redline(own, 'verify', '--key', join(own, 'other.pub'))).code).toBe(1);
  });

  it('extracts the real 2019 open letter PDF and diffs two local files', async () => {
    const pdf = join(statements, '2019-10-04_open-letter-facebook_privacy-first.pdf');
    const extracted = await redline(dir, 'extract', pdf);
    expect(extracted.code).toBe(0);
    expect(extracted.stdout).toContain('Dear Mr. Zuckerberg');
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    await writeFile(a, 'Ministers agreed 12 measures.\n\nThe rest stays.');
    await writeFile(b, 'Ministers agreed 14 measures.\n\nThe rest stays.');
    const diff = await redline(dir, 'diff', a, b);
    expect(diff.stdout).toContain('[-12-]{+14+}');
    const missing = await redline(dir, 'show', 'no-such-source');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-source/);
  });
});
