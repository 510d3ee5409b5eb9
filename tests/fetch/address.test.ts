import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, blockedReason, type AddressPolicy, type LookupFunction } from '../../src/fetch/index.js';
import { options, startServer, tableLookup, type TestServer } from './helpers.js';

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fe80::1%eth0', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['ff02::1', 'multicast'],
    ['not-an-ip', 'not an IP'],
  ])('refuses %s (%s)', (ip, why) => {
    expect(blockedReason(ip)).toContain(why);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1', '2a00:1450::1'])(
    'allows the public address %s',
    (ip) => {
      expect(blockedReason(ip)).toBeUndefined();
    },
  );
});

describe('Fetcher refusing private targets (allowPrivate false)', () => {
  let server: TestServer;
  /** Behaves like the real policy except that it treats 127.0.0.1 as if it were public. */
  const loopbackIsPublic: AddressPolicy = (ip) => (ip === '127.0.0.1' ? undefined : blockedReason(ip));
  let strict: Fetcher;
  let lenient: Fetcher;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const redirect = (location: string): void => {
        res.writeHead(302, { Location: location });
        res.end();
      };
      switch (req.url) {
        case '/to-metadata':
          return redirect(`http://metadata.gov.test:${server.port}/latest/meta-data/`);
        case '/to-ip-literal':
          return redirect(`http://10.0.0.7:${server.port}/admin`);
        case '/to-ipv6-loopback':
          return redirect(`http://[::1]:${server.port}/`);
        default:
          return res.end('public page');
      }
    });
    const lookup = tableLookup({
      'intranet.gov.test': '127.0.0.1',
      'metadata.gov.test': '169.254.169.254',
      'mixed.gov.test': ['127.0.0.2', '127.0.0.1'],
      'public.gov.test': '127.0.0.1',
    });
    strict = Fetcher.forUntrustedUrls({ lookup });
    lenient = new Fetcher({ lookup, allowPrivate: false, addressPolicy: loopbackIsPublic });
  });

  afterAll(async () => {
    await Promise.all([strict.close(), lenient.close()]);
    await server.close();
  });

  it('refuses a loopback IP literal without connecting', async () => {
    const before = server.seen.length;
    const result = await strict.fetch({ url: `${server.base}/`, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    expect(result.ok || result.message).toContain('loopback');
    expect(server.seen.length).toBe(before);
  });

  it.each(['http://2130706433/', 'http://0x7f.1/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00:ec2::254]/'])(
    'refuses the disguised private literal %s',
    async (url) => {
      const result = await strict.fetch({ url, ignoreRobots: true, options: options() });
      expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    },
  );

  it('refuses a host name that resolves to a private address, checked on the resolved IP', async () => {
    const before = server.seen.length;
    const result = await strict.fetch({ url: `http://intranet.gov.test:${server.port}/`, ignoreRobots: true, options: options({ retries: 2 }) });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address', attempts: 1 });
    expect(result.ok || result.message).toContain('127.0.0.1');
    expect(server.seen.length).toBe(before);
  });

  it('the same URL is fetched when allowPrivate is true (the owner watch list)', async () => {
    const owner = Fetcher.forWatchList({ lookup: tableLookup({ 'intranet.gov.test': '127.0.0.1' }) });
    try {
      const result = await owner.fetch({ url: `http://intranet.gov.test:${server.port}/`, ignoreRobots: true, options: options() });
      expect(result).toMatchObject({ ok: true, status: 200 });
    } finally {
      await owner.close();
    }
  });

  it.each([
    ['/to-metadata', 'metadata'],
    ['/to-ip-literal', 'private'],
    ['/to-ipv6-loopback', 'loopback'],
  ])('checks every redirect hop: %s is refused after an allowed first hop', async (path, why) => {
    const before = server.seen.length;
    const result = await lenient.fetch({ url: `http://public.gov.test:${server.port}${path}`, ignoreRobots: true, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
    if (result.ok) return;
    expect(result.redirects).toEqual([{ url: `http://public.gov.test:${server.port}${path}`, status: 302 }]);
    expect(result.message).toContain(why);
    // Only the first hop reached the server; the refused target was never connected to.
    expect(server.seen.slice(before).map((s) => s.path)).toEqual([path]);
  });

  it('connects only to the addresses that passed the check when a name has several', async () => {
    // A second server on 127.0.0.2 (refused by the policy) at the same port: if the
    // refused address were dialled first, its answer would come back.
    const decoy = http.createServer((_req, res) => res.end('decoy on a refused address'));
    await new Promise<void>((resolve, reject) => decoy.once('error', reject).listen(server.port, '127.0.0.2', resolve));
    try {
      const result = await lenient.fetch({ url: `http://mixed.gov.test:${server.port}/`, ignoreRobots: true, options: options() });
      expect(result).toMatchObject({ ok: true, status: 200 });
      expect(result.ok && result.body.toString()).toBe('public page');
    } finally {
      decoy.closeAllConnections();
      await new Promise((resolve) => decoy.close(resolve));
    }
  });

  it('resolves once per connection, so a rebinding DNS answer cannot swap the checked address', async () => {
    const decoy = http.createServer((_req, res) => res.end('decoy reached by rebinding'));
    await new Promise<void>((resolve, reject) => decoy.once('error', reject).listen(server.port, '127.0.0.2', resolve));
    const answers: string[] = [];
    // First answer passes the policy; every later one points at the refused decoy.
    const rebinding: LookupFunction = (_host, opts, cb) => {
      const address = answers.length === 0 ? '127.0.0.1' : '127.0.0.2';
      answers.push(address);
      if (opts.all) cb(null, [{ address, family: 4 }]);
      else cb(null, address, 4);
    };
    const fetcher = new Fetcher({ lookup: rebinding, allowPrivate: false, addressPolicy: loopbackIsPublic });
    try {
      const result = await fetcher.fetch({ url: `http://rebind.gov.test:${server.port}/`, ignoreRobots: true, options: options() });
      expect(result.ok && result.body.toString()).toBe('public page');
      expect(answers).toEqual(['127.0.0.1']);
    } finally {
      await fetcher.close();
      decoy.closeAllConnections();
      await new Promise((resolve) => decoy.close(resolve));
    }
  });

  it('applies the check to robots.txt as well', async () => {
    const result = await strict.fetch({ url: `http://metadata.gov.test:${server.port}/`, options: options() });
    expect(result).toMatchObject({ ok: false, code: 'blocked-address' });
  });
});
