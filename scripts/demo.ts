/**
 * `npm run demo`: Redline's main job on real data, offline. A loopback server
 * plays FEMA's Hurricane Maria page as it stood on 3 Oct 2017, Redline archives
 * it, the server swaps in the 5 Oct 2017 version (served double-encoded, as the
 * real one was), Redline checks again and shows what changed, word by word.
 */
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const fixtures = join(root, 'tests/fixtures/govpages');
const pages = {
  '2017-10-03': await readFile(join(fixtures, 'real_fema-hurricane-maria_2017-10-03.a.html')),
  '2017-10-05': await readFile(join(fixtures, 'real_fema-hurricane-maria_2017-10-05_mojibake.b.html')),
};
let current: keyof typeof pages = '2017-10-03';

const server = createServer((req, res) => {
  if (req.url !== '/hurricane-maria') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const body = pages[current];
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag, 'last-modified': new Date(`${current}T14:00:00Z`).toUTCString() });
  res.end(body);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;

const work = await mkdtemp(join(tmpdir(), 'redline-demo-'));
const config = join(work, 'redline.yaml');
await writeFile(
  config,
  `# Scratch watch list written by "npm run demo".
archive: ./snapshots
defaults:
  user_agent: "Redline-demo/0.1 (+https://github.com/redline-watch/redline)"
  retries: 0
watch_terms: [federal staff, states, requests]
sources:
  - id: fema-hurricane-maria
    url: http://127.0.0.1:${port}/hurricane-maria
    tags: [fema, demo]
`,
);

// Asynchronous on purpose: the page server lives in this process and must keep answering.
async function redline(...args: string[]): Promise<number> {
  process.stdout.write(`\n\x1b[1m$ redline ${args.join(' ')}\x1b[0m\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), '-c', config, ...args], {
    stdio: 'inherit',
    cwd: root, // tsx resolves from the project; the config path is absolute
    env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
  });
  return new Promise((done) => child.on('close', (code) => done(code ?? 1)));
}

try {
  console.log(`Serving FEMA's "Hurricane Maria" page of 3 October 2017 at http://127.0.0.1:${port}/hurricane-maria`);
  let failed = (await redline('check')) !== 0;
  current = '2017-10-05';
  console.log('\nThe page now serves the 5 October 2017 version (double-encoded UTF-8, as FEMA served it).');
  failed = (await redline('check')) !== 0 || failed;
  failed = (await redline('diff', 'fema-hurricane-maria')) !== 0 || failed;
  failed = (await redline('log', 'fema-hurricane-maria')) !== 0 || failed;
  failed = (await redline('verify')) !== 0 || failed;
  console.log(`\nThe archive is in ${join(work, 'snapshots')} (watch list: ${config}).`);
  console.log(`Try: npx redline -c ${config} diff fema-hurricane-maria --format html > diff.html`);
  process.exitCode = failed ? 1 : 0;
} finally {
  server.close();
}
