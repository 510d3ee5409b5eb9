import { describe, expect, it } from 'vitest';
import { Fetcher, productToken } from '../../src/fetch/index.js';
import { closedAfterEach, mostOf, options, pagesOnly, startServer, type TestServer } from './helpers.js';

const ROBOTS = [
  '# Test robots.txt',
  'User-agent: *',
  'Disallow: /private/',
  '',
  'User-agent: RedlineTest',
  'Disallow: /statements/drafts/',
  'Allow: /statements/',
  'Crawl-delay: 0',
].join('\n');

const made = closedAfterEach();

async function serve(robots: (n: number) => { status: number; body?: string }): Promise<TestServer> {
  let robotsHits = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      const answer = robots(++robotsHits);
      res.writeHead(answer.status, { 'Content-Type': 'text/plain' });
      return res.end(answer.body ?? '');
    }
    res.end(`page ${req.url}`);
  });
  made.servers.push(server);
  return server;
}

function make(now?: () => number): Fetcher {
  const fetcher = Fetcher.forWatchList({ now, robotsTtlMs: 60_000, robotsRetryMs: 5_000 });
  made.fetchers.push(fetcher);
  return fetcher;
}

const robotsHits = (s: TestServer): number => s.seen.filter((x) => x.path === '/robots.txt').length;

describe('robots.txt', () => {
  it('refuses a disallowed URL for our product token and names the rule', async () => {
    const server = await serve(() => ({ status: 200, body: ROBOTS }));
    const result = await make().fetch({ url: `${server.base}/statements/drafts/x.html`, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'robots' });
    if (result.ok) return;
    expect(result.message).toContain('line 6');
    expect(result.message).toContain('Disallow: /statements/drafts/');
    expect(pagesOnly(server.seen)).toHaveLength(0);
  });

  it('allows what our group allows even where the * group would not apply', async () => {
    const server = await serve(() => ({ status: 200, body: ROBOTS }));
    const fetcher = make();
    const allowed = await fetcher.fetch({ url: `${server.base}/statements/2020-10-11.html`, options: options() });
    expect(allowed).toMatchObject({ ok: true, status: 200 });
    // Our own group replaces "*", so /private/ is not disallowed for RedlineTest.
    const privateForStar = await fetcher.fetch({ url: `${server.base}/private/page`, options: options() });
    expect(privateForStar).toMatchObject({ ok: true });
    // Another product token falls back to "*".
    const other = await fetcher.fetch({ url: `${server.base}/private/page`, options: options({ userAgent: 'OtherBot/2.0' }) });
    expect(other).toMatchObject({ ok: false, code: 'robots' });
  });

  it('fetches robots.txt once per origin and reuses it until the TTL passes', async () => {
    const server = await serve(() => ({ status: 200, body: ROBOTS }));
    let clock = 1_000_000;
    const fetcher = make(() => clock);
    await Promise.all([1, 2, 3].map((n) => fetcher.fetch({ url: `${server.base}/statements/${n}`, options: options() })));
    expect(robotsHits(server)).toBe(1);
    clock += 61_000;
    await fetcher.fetch({ url: `${server.base}/statements/4`, options: options() });
    expect(robotsHits(server)).toBe(2);
  });

  it('treats a 404 robots.txt as allow-all', async () => {
    const server = await serve(() => ({ status: 404 }));
    const result = await make().fetch({ url: `${server.base}/private/anything`, options: options() });
    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  it('treats a 5xx robots.txt as disallow-all for now and asks again after the retry time', async () => {
    const server = await serve((n) => (n === 1 ? { status: 503 } : { status: 200, body: ROBOTS }));
    let clock = 5_000_000;
    const fetcher = make(() => clock);
    const first = await fetcher.fetch({ url: `${server.base}/statements/a`, options: options() });
    expect(first).toMatchObject({ ok: false, code: 'robots', retryAfterMs: 5_000 });
    expect(first.ok || first.message).toContain('503');
    // Still inside the retry window: refused from the cache, robots.txt not asked again.
    const second = await fetcher.fetch({ url: `${server.base}/statements/a`, options: options() });
    expect(second).toMatchObject({ ok: false, code: 'robots' });
    expect(robotsHits(server)).toBe(1);
    clock += 5_001;
    const third = await fetcher.fetch({ url: `${server.base}/statements/a`, options: options() });
    expect(third).toMatchObject({ ok: true });
    expect(robotsHits(server)).toBe(2);
    expect(pagesOnly(server.seen)).toHaveLength(1);
  });

  it('keeps obeying a cached copy when a refresh fails (RFC 9309 §2.4), instead of blocking', async () => {
    const server = await serve((n) => (n === 1 ? { status: 200, body: ROBOTS } : { status: 500 }));
    let clock = 9_000_000;
    const fetcher = make(() => clock);
    expect(await fetcher.fetch({ url: `${server.base}/statements/a`, options: options() })).toMatchObject({ ok: true });
    clock += 61_000;
    expect(await fetcher.fetch({ url: `${server.base}/statements/b`, options: options() })).toMatchObject({ ok: true });
    expect(await fetcher.fetch({ url: `${server.base}/statements/drafts/c`, options: options() })).toMatchObject({ ok: false, code: 'robots' });
    expect(robotsHits(server)).toBe(2);
  });

  it('spaces requests by the Crawl-delay of our group when it exceeds perHostDelayMs', async () => {
    const server = await serve(() => ({ status: 200, body: 'User-agent: RedlineTest\nCrawl-delay: 0.25\n' }));
    const fetcher = make();
    await Promise.all([1, 2, 3].map((n) => fetcher.fetch({ url: `${server.base}/c${n}`, options: options() })));
    const starts = pagesOnly(server.seen).map((s) => s.at).sort((a, b) => a - b);
    expect(starts).toHaveLength(3);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(mostOf(250));
  });

  it('skips robots.txt entirely when ignoreRobots is set', async () => {
    const server = await serve(() => ({ status: 200, body: 'User-agent: *\nDisallow: /\n' }));
    const result = await make().fetch({ url: `${server.base}/private/x`, ignoreRobots: true, options: options() });
    expect(result).toMatchObject({ ok: true });
    expect(robotsHits(server)).toBe(0);
  });

  it('reads only the product name from the User-Agent', () => {
    expect(productToken('RedlineTest/1.0 (+https://example.org)')).toBe('redlinetest');
    expect(productToken('Mozilla/5.0 (compatible; Redline/0.2; +https://example.org)')).toBe('redline');
    expect(productToken('  ')).toBe('*');
  });
});
