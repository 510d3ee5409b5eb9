import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, MAX_REDIRECTS } from '../../src/fetch/index.js';
import { options, startServer, tableLookup, type TestServer } from './helpers.js';

let server: TestServer;
let fetcher: Fetcher;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const redirect = (status: number, location: string): void => {
      res.writeHead(status, { Location: location });
      res.end('moved');
    };
    const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
    if (hop) {
      const n = Number(hop[1]);
      return n === 0 ? res.end('arrived') : redirect(302, `/hop/${n - 1}`);
    }
    switch (url.pathname) {
      case '/chain-a':
        return redirect(301, `http://127.0.0.1:${server.port}/chain-b`);
      case '/chain-b':
        return redirect(308, '/dir/chain-c');
      case '/dir/chain-c':
        // Relative to /dir/: must resolve to /dir/final.
        return redirect(303, 'final?x=1');
      case '/dir/final':
        return res.end('final page');
      case '/loop-a':
        return redirect(302, '/loop-b');
      case '/loop-b':
        return redirect(302, '/loop-a');
      case '/to-ftp':
        return redirect(302, 'ftp://files.example.gov/statement.pdf');
      case '/to-javascript':
        return redirect(302, 'javascript:alert(1)');
      case '/no-location':
        res.writeHead(302);
        return res.end();
      case '/to-other-host':
        return redirect(307, `http://mirror.gov.test:${server.port}/landing`);
      case '/landing':
        return res.end(`landed on ${req.headers.host}`);
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  fetcher = Fetcher.forWatchList({ lookup: tableLookup({ 'mirror.gov.test': '127.0.0.1' }) });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('redirects', () => {
  it('follows a chain of absolute and relative Locations and records every hop', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/chain-a`, options: options() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.toString()).toBe('final page');
    expect(result.url).toBe(`${server.base}/chain-a`);
    expect(result.finalUrl).toBe(`${server.base}/dir/final?x=1`);
    expect(result.redirects).toEqual([
      { url: `${server.base}/chain-a`, status: 301 },
      { url: `${server.base}/chain-b`, status: 308 },
      { url: `${server.base}/dir/chain-c`, status: 303 },
    ]);
  });

  it(`follows ${MAX_REDIRECTS} redirects but not one more`, async () => {
    const ok = await fetcher.fetch({ url: `${server.base}/hop/${MAX_REDIRECTS}`, options: options() });
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(ok.redirects).toHaveLength(MAX_REDIRECTS);
    const tooMany = await fetcher.fetch({ url: `${server.base}/hop/${MAX_REDIRECTS + 1}`, options: options() });
    expect(tooMany).toMatchObject({ ok: false, code: 'too-many-redirects' });
  });

  it('stops a redirect loop with too-many-redirects and names the loop', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/loop-a`, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'too-many-redirects' });
    if (result.ok) return;
    expect(result.message).toContain('loop');
    expect(result.message).toContain('/loop-b');
    expect(server.seen.filter((s) => s.path.startsWith('/loop')).length).toBe(2);
  });

  it.each(['/to-ftp', '/to-javascript'])('refuses to follow %s to a non-http scheme', async (path) => {
    const result = await fetcher.fetch({ url: `${server.base}${path}`, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'bad-redirect', status: 302 });
  });

  it('reports a 3xx without Location as bad-redirect', async () => {
    const result = await fetcher.fetch({ url: `${server.base}/no-location`, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'bad-redirect' });
  });

  it('follows a redirect to another host name resolved by the injected lookup, dropping credentials', async () => {
    const result = await fetcher.fetch({
      url: `${server.base}/to-other-host`,
      headers: { Authorization: 'Bearer secret', 'X-Source': 'watch-list' },
      options: options(),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.finalUrl).toBe(`http://mirror.gov.test:${server.port}/landing`);
    expect(result.body.toString()).toBe(`landed on mirror.gov.test:${server.port}`);
    const first = server.seen.find((s) => s.path === '/to-other-host')!;
    const landing = server.seen.find((s) => s.path === '/landing')!;
    expect(first.headers.authorization).toBe('Bearer secret');
    expect(landing.headers.authorization).toBeUndefined();
    expect(landing.headers['x-source']).toBe('watch-list');
  });
});
