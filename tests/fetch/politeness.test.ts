import { describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.js';
import { closedAfterEach, mostOf, options, pagesOnly, startServer, tableLookup, type TestServer } from './helpers.js';

const made = closedAfterEach();

/** Answers each page after `holdMs`, so overlapping requests are visible to the server. */
async function slowServer(holdMs: number): Promise<TestServer> {
  const server = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(404);
      return res.end();
    }
    setTimeout(() => res.end(`page ${req.url}`), holdMs);
  });
  made.servers.push(server);
  return server;
}

function make(): Fetcher {
  const fetcher = Fetcher.forWatchList({ lookup: tableLookup({ 'a.gov.test': '127.0.0.1', 'b.gov.test': '127.0.0.1' }) });
  made.fetchers.push(fetcher);
  return fetcher;
}

describe('per-host politeness', () => {
  it('keeps at most perHostConcurrency requests in flight to one host', async () => {
    const server = await slowServer(80);
    const fetcher = make();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fetcher.fetch({ url: `${server.base}/p${i}`, ignoreRobots: true, options: options({ perHostConcurrency: 2 }) }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.maxInFlight()).toBe(2);
  });

  it('spaces request starts to one host by at least perHostDelayMs', async () => {
    const server = await slowServer(0);
    const fetcher = make();
    const delay = 200;
    const opts = options({ perHostDelayMs: delay });
    // Open the keep-alive connection first: a fresh TCP connect delays only the
    // first arrival and would shrink the first gap the server measures.
    await fetcher.fetch({ url: `${server.base}/warm-up`, ignoreRobots: true, options: opts });
    await Promise.all(
      Array.from({ length: 4 }, (_, i) => fetcher.fetch({ url: `${server.base}/d${i}`, ignoreRobots: true, options: opts })),
    );
    const starts = pagesOnly(server.seen).filter((s) => s.path.startsWith('/d')).map((s) => s.at).sort((a, b) => a - b);
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(mostOf(delay));
  });

  it('lets different hosts proceed in parallel while each host is limited to one', async () => {
    const server = await slowServer(150);
    const fetcher = make();
    const opts = options({ perHostConcurrency: 1 });
    const results = await Promise.all(
      ['a', 'b', 'a', 'b'].map((h, i) =>
        fetcher.fetch({ url: `http://${h}.gov.test:${server.port}/x${i}`, ignoreRobots: true, options: opts }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // Both hosts were served at the same time, yet never two for one host.
    expect(server.maxInFlight()).toBe(2);
    expect(server.maxInFlight('a.gov.test')).toBe(1);
    expect(server.maxInFlight('b.gov.test')).toBe(1);
  });

  it('counts robots.txt against the same host limit without deadlocking at concurrency 1', async () => {
    const server = await slowServer(20);
    const fetcher = make();
    const results = await Promise.all(
      [1, 2, 3].map((n) => fetcher.fetch({ url: `${server.base}/r${n}`, options: options({ perHostConcurrency: 1 }) })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.maxInFlight()).toBe(1);
    expect(server.seen.filter((s) => s.path === '/robots.txt')).toHaveLength(1);
  });
});
