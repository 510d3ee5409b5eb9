/** Real HTTP servers on 127.0.0.1 for the fetch tests, and request options sized for fast tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import type { FetchDefaults } from '../../src/config/types.js';
import type { Fetcher, LookupFunction } from '../../src/fetch/index.js';
import { afterEach } from 'vitest';

export interface Seen {
  method: string;
  path: string;
  host: string;
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface TestServer {
  port: number;
  /** "http://127.0.0.1:<port>" */
  base: string;
  seen: Seen[];
  /** Highest number of requests the server was handling at once (for one Host name, if given). */
  maxInFlight: (hostname?: string) => number;
  close: () => Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** robots.txt is answered 404 (allow all) unless the handler answers it. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const bump = (key: string, by: number): void => {
    const now = (inFlight.get(key) ?? 0) + by;
    inFlight.set(key, now);
    maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, now));
  };
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    seen.push({ method: req.method ?? '', path: req.url ?? '', host, headers: req.headers, at: performance.now() });
    const hostname = host.replace(/:\d+$/, '');
    bump('', 1);
    bump(hostname, 1);
    let counted = true;
    const done = (): void => {
      if (counted) {
        bump('', -1);
        bump(hostname, -1);
      }
      counted = false;
    };
    res.on('finish', done);
    res.on('close', done);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    seen,
    maxInFlight: (hostname = '') => maxInFlight.get(hostname) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Gaps the server measures between arrivals are compared against 80% of the
 * configured wait: on this shared 2-core machine the event loop notes an arrival
 * up to tens of ms late, while a missing wait would show gaps of ~0 ms.
 */
export function mostOf(waitMs: number): number {
  return waitMs * 0.8;
}

export function pagesOnly(seen: Seen[]): Seen[] {
  return seen.filter((s) => s.path !== '/robots.txt');
}

export function options(overrides: Partial<FetchDefaults> = {}): FetchDefaults {
  return {
    schedule: '*/5 * * * *',
    userAgent: 'RedlineTest/1.0 (+https://example.org/redline)',
    connectTimeoutMs: 1000,
    responseTimeoutMs: 1000,
    bodyTimeoutMs: 2000,
    maxBytes: 1_000_000,
    perHostConcurrency: 4,
    perHostDelayMs: 0,
    retries: 0,
    ...overrides,
  };
}

/** A lookup that answers from a table (name → IP) and fails like getaddrinfo for anything else. */
export function tableLookup(table: Record<string, string | string[]>): LookupFunction {
  return (hostname, opts, callback) => {
    const hit = table[hostname];
    if (hit === undefined) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return callback(err, [], 0);
    }
    const list = (Array.isArray(hit) ? hit : [hit]).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (opts.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  };
}

/**
 * `total` bytes of zeros compressed with `kind`, fed a megabyte at a time so
 * building a gigabyte bomb does not itself need a gigabyte.
 */
export async function compressedZeros(kind: 'gzip' | 'br', total: number): Promise<Buffer> {
  const stream =
    kind === 'gzip'
      ? zlib.createGzip({ level: 9 })
      : zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const block = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < total; written += block.length) {
    if (!stream.write(block)) await new Promise((r) => stream.once('drain', r));
  }
  await new Promise<void>((resolve, reject) => {
    stream.once('end', resolve).once('error', reject);
    stream.end();
  });
  return Buffer.concat(out);
}

/** Servers and fetchers a test starts, all closed after each test (push them into the lists). */
export function closedAfterEach(): { servers: TestServer[]; fetchers: Fetcher[] } {
  const made = { servers: [] as TestServer[], fetchers: [] as Fetcher[] };
  afterEach(async () => {
    const { servers, fetchers } = made;
    made.servers = [];
    made.fetchers = [];
    await Promise.all(fetchers.map((f) => f.close()));
    await Promise.all(servers.map((s) => s.close()));
  });
  return made;
}
