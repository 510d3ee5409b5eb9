/** Seen in the cycle benchmark: 16 parallel fetches printed a MaxListenersExceededWarning on every `redline check`. */
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { Fetcher } from '../../src/fetch/index.js';

let server: Server;
let origin: string;
beforeEach(async () => {
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    // Held so that all requests are in flight together.
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(`page ${req.url}`), 30);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
});

it('runs 24 fetches at once without a listener-leak warning', async () => {
  const { defaults } = parseConfigText('defaults:\n  per_host_concurrency: 32\n  per_host_delay: 0s\n', '/nonexistent/redline.yaml', {});
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  const fetcher = Fetcher.forWatchList();
  try {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => fetcher.fetch({ url: `${origin}/p${i}`, options: defaults })));
    expect(results.every((r) => r.ok && r.status === 200)).toBe(true);
    // Warnings are emitted on the next tick.
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    await fetcher.close();
  }
});
