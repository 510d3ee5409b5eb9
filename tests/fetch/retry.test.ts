import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, parseRetryAfter } from '../../src/fetch/index.js';
import { backoffMs } from '../../src/fetch/retry.js';
import { mostOf, options, pagesOnly, startServer, type TestServer } from './helpers.js';

let server: TestServer;
let fetcher: Fetcher;
const hits = new Map<string, number>();
const warnings: string[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    switch (path) {
      case '/flaky':
        res.writeHead(n === 1 ? 503 : 200);
        return res.end(n === 1 ? 'busy' : 'recovered');
      case '/rate-limited':
        if (n === 1) {
          res.writeHead(429, { 'Retry-After': '1' });
          return res.end();
        }
        return res.end('thanks for waiting');
      case '/retry-much-later':
        res.writeHead(503, { 'Retry-After': '3600' });
        return res.end();
      case '/always-503':
        res.writeHead(503, { 'Retry-After': '0' });
        return res.end();
      case '/drop-first': {
        if (n === 1) return req.socket.destroy();
        return res.end('second time lucky');
      }
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  fetcher = Fetcher.forWatchList({
    retryBaseMs: 20,
    logger: { info: () => undefined, warn: (_f, msg) => warnings.push(msg) },
  });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

const at = (path: string): number[] => pagesOnly(server.seen).filter((s) => s.path === path).map((s) => s.at);

describe('retries', () => {
  it('retries a 503 and returns the later success', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/flaky`, ignoreRobots: true, options: options({ retries: 2 }) });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(result.ok && result.body.toString()).toBe('recovered');
    expect(warnings.some((w) => w.includes('/flaky') && w.includes('HTTP 503'))).toBe(true);
  });

  it('waits the Retry-After of a 429 before asking again (the server sees the gap)', async () => {
    // Reuse an open connection for both requests, so no connect time skews the first arrival.
    await fetcher.fetch({ url: `${server.base}/warm-up`, ignoreRobots: true, options: options() });
    const result = await fetcher.fetch({ url: `${server.base}/rate-limited`, ignoreRobots: true, options: options({ retries: 1 }) });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = at('/rate-limited');
    expect(second! - first!).toBeGreaterThanOrEqual(mostOf(1000));
  });

  it('does not sit out a Retry-After longer than the cap: fails with retryAfterMs for the scheduler', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/retry-much-later`, ignoreRobots: true, options: options({ retries: 3 }) });
    expect(result).toMatchObject({ ok: false, code: 'http', status: 503, retryAfterMs: 3_600_000, attempts: 1 });
  });

  it('stops after `retries` and reports the last status', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/always-503`, ignoreRobots: true, options: options({ retries: 2 }) });
    expect(result).toMatchObject({ ok: false, code: 'http', status: 503, attempts: 3 });
    expect(at('/always-503')).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/missing`, ignoreRobots: true, options: options({ retries: 3 }) });
    expect(result).toMatchObject({ ok: false, code: 'http', status: 404, attempts: 1 });
    expect(at('/missing')).toHaveLength(1);
  });

  it('retries a connection dropped before any answer', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/drop-first`, ignoreRobots: true, options: options({ retries: 1 }) });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });
});

describe('Retry-After and backoff arithmetic', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');

  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 01 May 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('doubles the backoff per retry, keeps half of it as jitter and respects the ceiling', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 0.999999)).toBe(1000);
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
