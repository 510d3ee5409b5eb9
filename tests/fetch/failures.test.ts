import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, type FetchResult } from '../../src/fetch/index.js';
import { compressedZeros, options, startServer, tableLookup, type TestServer } from './helpers.js';

let server: TestServer;
let fetcher: Fetcher;
let gzipBomb: Buffer;
let brotliBomb: Buffer;
const open = new Set<http.ServerResponse>();

const BOMB_BYTES = 1024 * 1024 * 1024;

beforeAll(async () => {
  [gzipBomb, brotliBomb] = await Promise.all([compressedZeros('gzip', 256 * 1024 * 1024), compressedZeros('br', BOMB_BYTES)]);
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/never-answers':
        open.add(res);
        return;
      case '/slowloris': {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        // One byte every 20 ms: never idle long enough for an inactivity timer.
        const drip = setInterval(() => res.write('x'), 20);
        res.on('close', () => clearInterval(drip));
        return;
      }
      case '/big':
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        return res.end(Buffer.alloc(300_000, 'a'));
      case '/big-declared':
        res.writeHead(200, { 'Content-Length': String(50_000_000) });
        return res.write('only a little');
      case '/gzip-bomb':
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'text/html' });
        return res.end(gzipBomb);
      case '/br-bomb':
        res.writeHead(200, { 'Content-Encoding': 'br', 'Content-Type': 'text/html' });
        return res.end(brotliBomb);
      case '/reset-mid-body':
        res.writeHead(200, { 'Content-Length': '100000' });
        res.write(Buffer.alloc(5000, 'b'), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
        return;
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  fetcher = Fetcher.forWatchList({
    lookup: tableLookup({ 'known.gov.test': '127.0.0.1' }),
  });
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await fetcher.close();
  await server.close();
});

function failure(result: FetchResult): Extract<FetchResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, got HTTP ${result.status}`);
  return result;
}

describe('network failures', () => {
  it('reports a refused connection as network, naming the URL', async () => {
    const closed = await startServer(() => undefined);
    const url = `${closed.base}/page`;
    await closed.close();
    const result = failure(await fetcher.fetch({ url, ignoreRobots: true, options: options() }));
    expect(result.code).toBe('network');
    expect(result.message).toContain(url);
    expect(result.message).toContain('ECONNREFUSED');
  });

  it('reports a name the resolver does not know as dns, with or without robots.txt', async () => {
    const url = `http://nowhere.gov.test:${server.port}/`;
    const direct = failure(await fetcher.fetch({ url, ignoreRobots: true, options: options({ retries: 2 }) }));
    expect(direct.code).toBe('dns');
    expect(direct.message).toContain('nowhere.gov.test');
    // A missing name is not a passing glitch: no retries.
    expect(direct.attempts).toBe(1);
    // With robots.txt on, the robots fetch meets the DNS failure first; the code stays dns.
    const viaRobots = failure(await fetcher.fetch({ url, options: options() }));
    expect(viaRobots.code).toBe('dns');
    expect(viaRobots.message).toContain('robots.txt');
  });

  it('gives up with timeout when no response headers arrive', async () => {
    const result = failure(
      await fetcher.fetch({ url: `${server.base}/never-answers`, ignoreRobots: true, options: options({ connectTimeoutMs: 100, responseTimeoutMs: 150 }) }),
    );
    expect(result.code).toBe('timeout');
    expect(result.message).toContain('/never-answers');
  });

  it('gives up with timeout on a body that trickles in forever (slowloris)', async () => {
    const result = failure(
      await fetcher.fetch({ url: `${server.base}/slowloris`, ignoreRobots: true, options: options({ bodyTimeoutMs: 300 }) }),
    );
    expect(result.code).toBe('timeout');
    expect(result.message).toContain('bodyTimeoutMs');
  });

  it('reports a connection reset in the middle of the body as network', async () => {
    const result = failure(await fetcher.fetch({ url: `${server.base}/reset-mid-body`, ignoreRobots: true, options: options() }));
    expect(result.code).toBe('network');
  });
});

describe('size caps', () => {
  it('stops a plain body at maxBytes', async () => {
    const result = failure(
      await fetcher.fetch({ url: `${server.base}/big`, ignoreRobots: true, options: options({ maxBytes: 100_000 }) }),
    );
    expect(result.code).toBe('too-large');
    expect(result.message).toContain('maxBytes');
  });

  it('refuses a declared Content-Length over maxBytes without reading it', async () => {
    const result = failure(
      await fetcher.fetch({ url: `${server.base}/big-declared`, ignoreRobots: true, options: options({ maxBytes: 100_000 }) }),
    );
    expect(result.code).toBe('too-large');
    expect(result.message).toContain('50000000');
  });

  it.each([
    ['/gzip-bomb', 'gzip'],
    ['/br-bomb', 'brotli'],
  ])('stops a %s (%s) at the decompressed cap with bounded memory', async (path) => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const result = failure(
      await fetcher.fetch({ url: `${server.base}${path}`, ignoreRobots: true, options: options({ maxBytes: 2_000_000 }) }),
    );
    const grown = process.memoryUsage().rss - before;
    expect(result.code).toBe('too-large');
    expect(result.message).toContain('after decompression');
    expect(grown).toBeLessThan(100 * 1024 * 1024);
  });

  it('accepts a compressed body just under the cap', async () => {
    const small = await compressedZeros('gzip', 1024 * 1024);
    const local = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(small);
    });
    try {
      const result = await fetcher.fetch({ url: `${local.base}/`, ignoreRobots: true, options: options({ maxBytes: 1024 * 1024 }) });
      expect(result).toMatchObject({ ok: true });
      expect(result.ok && result.body.length).toBe(1024 * 1024);
    } finally {
      await local.close();
    }
  });
});
