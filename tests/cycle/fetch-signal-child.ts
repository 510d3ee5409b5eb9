/**
 * Child of fetch-signal.test.ts (needs --expose-gc): heap after GC before and after many
 * fetches that each carry their own abort signal, as the scheduler's checks do.
 * Prints one JSON line.
 */
import { createServer } from 'node:http';
import { parseConfigText } from '../../src/config/index.js';
import { Fetcher } from '../../src/fetch/index.js';

const n = Number(process.argv[2] ?? 30_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const settle = async () => {
  // FinalizationRegistry callbacks (how newer Node cleans up after AbortSignal.any) run after a GC, as tasks.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
};

const server = createServer((req, res) => {
  if (req.url === '/robots.txt') return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/plain' }).end('page');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const { defaults } = parseConfigText('defaults:\n  per_host_concurrency: 16\n  per_host_delay: 0s\n', '/nonexistent/redline.yaml', {});
const fetcher = Fetcher.forWatchList();

let failed = 0;
async function round(count: number): Promise<void> {
  for (let i = 0; i < count; i += 16) {
    const results = await Promise.all(Array.from({ length: 16 }, (_, j) => fetcher.fetch({ url: `${origin}/p${(i + j) % 100}`, options: defaults, signal: new AbortController().signal })));
    failed += results.filter((r) => !r.ok).length;
  }
}

await round(2_000);
const before = await settle();
await round(n);
const after = await settle();
await fetcher.close();
server.close();
console.log(JSON.stringify({ fetches: n, failed, growthMB: (after - before) / 1e6, bytesPerFetch: (after - before) / n }));
