import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, type FetchResult, type FetchSuccess } from '../../src/fetch/index.js';
import { options, pagesOnly, startServer, type TestServer } from './helpers.js';

const PAGE = Buffer.from('<html><body><p>Joint statement — “quoted” text, café.</p></body></html>\n'.repeat(40));
const ETAG = '"v1-abc"';
const LAST_MODIFIED = 'Tue, 01 Oct 2019 09:30:00 GMT';

let server: TestServer;
let fetcher: Fetcher;

function success(result: FetchResult): FetchSuccess {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result;
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const encoded = (encoding: string, body: Buffer): void => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': encoding });
      res.end(body);
    };
    switch (path) {
      case '/plain':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: ETAG, 'Last-Modified': LAST_MODIFIED, 'X-Mixed-Case': 'Yes' });
        return res.end(PAGE);
      case '/gzip':
        return encoded('gzip', zlib.gzipSync(PAGE));
      case '/br':
        return encoded('br', zlib.brotliCompressSync(PAGE));
      case '/deflate':
        return encoded('deflate', zlib.deflateSync(PAGE));
      case '/deflate-raw':
        return encoded('deflate', zlib.deflateRawSync(PAGE));
      case '/gzip-then-br':
        return encoded('gzip, br', zlib.brotliCompressSync(zlib.gzipSync(PAGE)));
      case '/zstd':
        return encoded('zstd', PAGE);
      case '/corrupt-gzip':
        return encoded('gzip', Buffer.from('this is not gzip at all, just hostile bytes'));
      case '/etag':
        if (req.headers['if-none-match'] === ETAG) {
          res.writeHead(304, { ETag: ETAG });
          return res.end();
        }
        res.writeHead(200, { ETag: ETAG });
        return res.end(PAGE);
      case '/last-modified':
        // nginx's "if_modified_since exact": only the very string it sent earns a 304.
        if (req.headers['if-modified-since'] === LAST_MODIFIED) {
          res.writeHead(304);
          return res.end();
        }
        res.writeHead(200, { 'Last-Modified': LAST_MODIFIED });
        return res.end(PAGE);
      case '/gone':
        res.writeHead(410, { 'Content-Type': 'text/plain' });
        return res.end('gone');
      default:
        res.writeHead(404);
        return res.end('not found');
    }
  });
  fetcher = Fetcher.forWatchList();
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('successful fetches', () => {
  it('returns the bytes, lower-cased headers and the validators of a plain 200', async () => {
    const result = success(await fetcher.fetch({ url: `${server.base}/plain`, options: options() }));
    expect(result.status).toBe(200);
    expect(result.notModified).toBe(false);
    expect(result.body.equals(PAGE)).toBe(true);
    expect(result.headers['x-mixed-case']).toBe('Yes');
    expect(Object.keys(result.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(result.contentType).toBe('text/html; charset=utf-8');
    expect(result.etag).toBe(ETAG);
    expect(result.lastModified).toBe(LAST_MODIFIED);
    expect(result.finalUrl).toBe(`${server.base}/plain`);
    expect(result.redirects).toEqual([]);
    expect(result.attempts).toBe(1);
    const sent = pagesOnly(server.seen).find((s) => s.path === '/plain')!;
    expect(sent.headers['user-agent']).toBe(options().userAgent);
    expect(sent.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it.each(['/gzip', '/br', '/deflate', '/deflate-raw', '/gzip-then-br'])('decompresses %s to the original bytes', async (path) => {
    const result = success(await fetcher.fetch({ url: `${server.base}${path}`, options: options() }));
    expect(result.body.equals(PAGE)).toBe(true);
  });

  it('sends the stored ETag back as If-None-Match and reports 304 as not modified with an empty body', async () => {
    const result = success(await fetcher.fetch({ url: `${server.base}/etag`, etag: ETAG, options: options() }));
    expect(result.status).toBe(304);
    expect(result.notModified).toBe(true);
    expect(result.body.length).toBe(0);
    expect(result.etag).toBe(ETAG);
    const sent = server.seen.filter((s) => s.path === '/etag').at(-1)!;
    expect(sent.headers['if-none-match']).toBe(ETAG);
    expect(sent.headers['if-modified-since']).toBeUndefined();
  });

  it('sends If-Modified-Since with exactly the Last-Modified string the server gave', async () => {
    const first = success(await fetcher.fetch({ url: `${server.base}/last-modified`, options: options() }));
    expect(first.status).toBe(200);
    expect(server.seen.filter((s) => s.path === '/last-modified')[0]!.headers['if-modified-since']).toBeUndefined();
    const second = success(
      await fetcher.fetch({ url: `${server.base}/last-modified`, lastModified: first.lastModified, options: options() }),
    );
    expect(second.notModified).toBe(true);
    // The 304 carried no Last-Modified: the one we sent stays the validator.
    expect(second.lastModified).toBe(LAST_MODIFIED);
    const sent = server.seen.filter((s) => s.path === '/last-modified').at(-1)!;
    expect(sent.headers['if-modified-since']).toBe(LAST_MODIFIED);
    expect(sent.headers['if-none-match']).toBeUndefined();
  });
});

describe('request headers', () => {
  it('sends the source headers but drops transport-managed and malformed ones', async () => {
    const result = await fetcher.fetch({
      url: `${server.base}/plain?headers`,
      headers: { 'Accept-Language': 'en-GB', Host: 'evil.example', Connection: 'close', 'X-Split': 'a\r\nX-Injected: 1' },
      options: options(),
    });
    expect(result.ok).toBe(true);
    const sent = server.seen.find((s) => s.path === '/plain?headers')!;
    expect(sent.headers['accept-language']).toBe('en-GB');
    expect(sent.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(sent.headers['x-split']).toBeUndefined();
    expect(sent.headers['x-injected']).toBeUndefined();
  });
});

describe('closing', () => {
  it('ends queued fetches as failures instead of leaving them hanging', async () => {
    const own = Fetcher.forWatchList();
    const slow = options({ perHostConcurrency: 1, perHostDelayMs: 10_000 });
    const first = own.fetch({ url: `${server.base}/plain?c1`, ignoreRobots: true, options: slow });
    const queued = own.fetch({ url: `${server.base}/plain?c2`, ignoreRobots: true, options: slow });
    expect(await first).toMatchObject({ ok: true });
    await own.close();
    const late = await queued;
    expect(late).toMatchObject({ ok: false, code: 'network' });
    expect(late.ok || late.message).toContain('closed');
  });
});

describe('cancelling one fetch', () => {
  it('ends a fetch whose signal fires as a network failure, and leaves the fetcher usable', async () => {
    const stalled = await startServer(() => undefined); // never answers
    const own = Fetcher.forWatchList();
    try {
      const controller = new AbortController();
      const pending = own.fetch({ url: `${stalled.base}/page`, ignoreRobots: true, options: options({ responseTimeoutMs: 30_000 }), signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const res = await pending;
      expect(res).toMatchObject({ ok: false, code: 'network' });
      expect(res.ok || res.message).toContain('cancelled');
      const after = await own.fetch({ url: `${server.base}/plain?after-cancel`, ignoreRobots: true, options: options() });
      expect(after).toMatchObject({ ok: true });
    } finally {
      await own.close();
      await stalled.close();
    }
  });
});

describe('failures that are answers', () => {
  it('reports 410 as an http failure with its status, not as an exception', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/gone`, options: options({ retries: 2 }) });
    expect(result).toMatchObject({ ok: false, code: 'http', status: 410, attempts: 1 });
    expect(result.ok || result.message).toContain(`${server.base}/gone`);
  });

  it('refuses a URL that is not http(s) or does not parse', async () => {
    expect(await fetcher.fetch({ url: 'ftp://127.0.0.1/file', options: options() })).toMatchObject({ ok: false, code: 'bad-url' });
    expect(await fetcher.fetch({ url: 'not a url', options: options() })).toMatchObject({ ok: false, code: 'bad-url' });
  });

  it('fails with decode for an unsupported or corrupt Content-Encoding', async () => {
    const zstd = await fetcher.fetch({ url: `${server.base}/zstd`, options: options() });
    expect(zstd).toMatchObject({ ok: false, code: 'decode' });
    expect(zstd.ok || zstd.message).toContain('zstd');
    const corrupt = await fetcher.fetch({ url: `${server.base}/corrupt-gzip`, options: options() });
    expect(corrupt).toMatchObject({ ok: false, code: 'decode' });
  });
});
