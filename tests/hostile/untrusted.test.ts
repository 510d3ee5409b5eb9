/**
 * Input safety (issue 6): a URL that did not come from the owner's own watch list is checked
 * through `Fetcher.forUntrustedUrls()`. Through the whole pipeline, a source that resolves to
 * loopback, private, link-local or metadata addresses, directly or at any redirect hop, is
 * refused: a failed check with code 'blocked-address', no request reaches the private server,
 * and nothing is archived. The same source through the watch list's fetcher is archived, so
 * the refusal is the address guard's doing and nothing else.
 *
 * 127.0.0.2 stands in for "the public internet" via an address policy that allows only it, so
 * the redirect-hop case can be played on loopback alone.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSource } from '../../src/core/check.js';
import { openContext } from '../../src/core/context.js';
import { blockedReason, Fetcher, type AddressPolicy } from '../../src/fetch/index.js';
import { goodHandler, openRig, withRobots } from './harness.js';
import { STATEMENT_V1 } from './pages.js';
import { startSite, type Site } from './site.js';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const HTML = 'text/html; charset=utf-8';
/** Everything non-public is refused, except 127.0.0.2, which plays a public web server. */
const publicMirror: AddressPolicy = (ip) => (ip === '127.0.0.2' ? undefined : blockedReason(ip));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
}

interface Case {
  name: string;
  /** The source's URL, given this case's host name. */
  url: (host: string) => string;
  setup?: (host: string) => void;
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a host name that resolves to loopback',
    url: (host) => `http://${host}:${site.port}/statement`,
    message: /resolves to 127\.0\.0\.1, a loopback/,
  },
  {
    name: 'a literal loopback IP',
    url: () => `http://127.0.0.1:${site.port}/statement`,
    message: /127\.0\.0\.1 is a loopback/,
  },
  {
    name: 'an IPv4-mapped IPv6 loopback literal',
    url: () => `http://[::ffff:127.0.0.1]:${site.port}/statement`,
    message: /IPv4-mapped/,
  },
  {
    name: 'a name that resolves to the cloud metadata address',
    url: (host) => `http://${host}/latest/meta-data/`,
    setup: (host) => site.dns(host, { address: '169.254.169.254' }),
    message: /169\.254\.169\.254, a link-local/,
  },
  {
    name: 'a name that resolves to a private network address',
    url: (host) => `http://${host}/statement`,
    setup: (host) => site.dns(host, { address: '10.1.2.3' }),
    message: /10\.1\.2\.3, a private/,
  },
  {
    name: 'a public page that redirects to a loopback name (checked at the hop)',
    url: (host) => `http://mirror.${host}:${site.mirrorPort}/statement`,
    setup: (host) => site.route(`mirror.${host}`, withRobots((_req, res) => void res.writeHead(302, { location: `http://${host}:${site.port}/statement` }).end())),
    message: /resolves to 127\.0\.0\.1, a loopback/,
  },
  {
    name: 'a public page that redirects to a literal metadata IP',
    url: (host) => `http://mirror.${host}:${site.mirrorPort}/statement`,
    setup: (host) => site.route(`mirror.${host}`, withRobots((_req, res) => void res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/iam/' }).end())),
    message: /169\.254\.169\.254 is a link-local/,
  },
];

describe('URLs from untrusted interfaces never reach private addresses, and nothing is archived', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const id = `untrusted-${i}`;
      const host = `${id}.gov.test`;
      site.route(host, withRobots(goodHandler(STATEMENT_V1, HTML)));
      c.setup?.(host);
      const fetcher = Fetcher.forUntrustedUrls({ lookup: site.lookup, addressPolicy: publicMirror, robotsTtlMs: 0 });
      const rig = await openRig({ site, id, url: c.url(host), fetcher });
      try {
        const o = await rig.check();
        expect(o.outcome).toBe('failed');
        expect(o.error?.code, o.error?.message).toBe('blocked-address');
        expect(o.error?.message).toMatch(c.message);
        expect(o.version).toBeUndefined();
        expect(await rig.store.versions(id)).toEqual([]);
        // The failed check is logged (evidence of the attempt), but no blob was written.
        expect((await rig.store.log(id)).map((e) => [e.outcome, e.error?.code])).toEqual([['failed', 'blocked-address']]);
        expect((await filesUnder(rig.config.archive)).filter((f) => f.startsWith('objects'))).toEqual([]);
        // Not even robots.txt was asked of the private server.
        expect(site.seen(host)).toEqual([]);
        expect((await rig.store.verify()).ok).toBe(true);
      } finally {
        site.dns(host, undefined);
        await rig.close();
      }
    });
  });

  it('the same loopback source through the watch list (the owner\'s own file) is archived', async () => {
    const host = 'watch-list-control.gov.test';
    site.route(host, withRobots(goodHandler(STATEMENT_V1, HTML)));
    const rig = await openRig({ site, id: 'watch-list-control', url: `http://${host}:${site.port}/statement` });
    try {
      expect((await rig.check()).outcome).toBe('new');
      expect(site.seen(host)).toEqual(['/robots.txt', '/statement']);
    } finally {
      await rig.close();
    }
  });

  it('a public page (127.0.0.2 here) is fetched and archived by the untrusted fetcher', async () => {
    const host = 'mirror.public-control.gov.test';
    site.route(host, withRobots(goodHandler(STATEMENT_V1, HTML)));
    const fetcher = Fetcher.forUntrustedUrls({ lookup: site.lookup, addressPolicy: publicMirror, robotsTtlMs: 0 });
    const rig = await openRig({ site, id: 'public-control', url: `http://${host}:${site.mirrorPort}/statement`, fetcher });
    try {
      const o = await rig.check();
      expect(o.outcome, o.error?.message).toBe('new');
    } finally {
      await rig.close();
    }
  });

  it('an archived source later checked through an untrusted interface keeps its versions', async () => {
    const host = 'archived-then-untrusted.gov.test';
    const url = `http://${host}:${site.port}/statement`;
    site.route(host, withRobots(goodHandler(STATEMENT_V1, HTML)));
    const rig = await openRig({ site, id: 'archived-then-untrusted', url });
    try {
      expect((await rig.check()).outcome).toBe('new');
      const before = await rig.store.versions('archived-then-untrusted');
      const fetcher = Fetcher.forUntrustedUrls({ lookup: site.lookup, robotsTtlMs: 0 });
      const ctx = await openContext(rig.config, { store: rig.store, fetcher });
      try {
        const o = await checkSource(ctx, rig.source);
        expect(o.error?.code).toBe('blocked-address');
        expect(o.events).toEqual([]);
      } finally {
        await ctx.close();
        await fetcher.close();
      }
      expect(await rig.store.versions('archived-then-untrusted')).toEqual(before);
      expect(site.seen(host)).toEqual(['/robots.txt', '/statement']);
    } finally {
      await rig.close();
    }
  });
});
