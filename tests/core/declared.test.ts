/**
 * Silent edits through the whole pipeline, on a page shaped like GOV.UK's publication page of
 * the 2020 statement (served as www.gov.uk through an injected lookup, so the GOV.UK preset
 * applies): a declared update with the statement unchanged is logged; a changed statement with
 * no new declared date is flagged as a silent edit in the alert.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { Fetcher } from '../../src/fetch/index.js';
import { openContext } from '../../src/core/context.js';
import { checkSource } from '../../src/core/check.js';
import { tableLookup } from '../fetch/helpers.js';

const original = await readFile(join(import.meta.dirname, '../extract/fixtures/govuk_international-statement-e2ee_publication.constructed.html'), 'utf8');
const announced = original
  .replace('16 January 2023 — <a', '20 February 2023 — <a')
  .replace('<ol class="gem-c-published-dates__list">', `<ol class="gem-c-published-dates__list">
            <li class="gem-c-published-dates__change-item">
              <time class="gem-c-published-dates__change-date timestamp" datetime="2023-02-20T09:00:00.000+00:00">20 February 2023</time>
              <p class="gem-c-published-dates__change-note">Added a Welsh translation.</p>
            </li>`);
const silentlyEdited = announced.replace('<li>Japan</li>', '');

let page = original;
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('declared updates and silent edits', () => {
  it('logs an announced update with an unchanged statement, and flags a changed statement with no new declaration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redline-declared-'));
    const text = `archive: ./snapshots
defaults: { retries: 0, per_host_delay: 0 }
watch_terms: [encryption]
sources:
  - id: uk-e2ee
    url: http://www.gov.uk:${port}/government/publications/international-statement-end-to-end-encryption-and-public-safety
`;
    const config = parseConfigText(text, join(dir, 'redline.yaml'));
    const fetcher = Fetcher.forWatchList({ lookup: tableLookup({ 'www.gov.uk': '127.0.0.1' }) });
    const alerts: unknown[] = [];
    const ctx = await openContext(config, { fetcher, sink: { enqueue: async (a) => alerts.push(a) } });
    const source = config.sources[0];
    try {
      const first = await checkSource(ctx, source);
      expect(first.outcome).toBe('new');
      expect(first.entry.meta?.method).toMatch(/gov\.?uk/i);
      expect(first.entry.meta?.declared).toMatchObject({ modified: expect.stringContaining('2023-01-16') });

      page = announced;
      const second = await checkSource(ctx, source);
      expect(second.outcome).toBe('unchanged');
      expect(String(second.entry.meta?.declaredUpdate)).toMatch(/declare|update/i);
      expect(alerts).toHaveLength(0);
      // The same announcement is not reported twice.
      const third = await checkSource(ctx, source);
      expect(third.entry.meta?.declaredUpdate).toBeUndefined();

      page = silentlyEdited;
      const fourth = await checkSource(ctx, source);
      expect(fourth.outcome).toBe('changed');
      expect(fourth.alerts).toHaveLength(1);
      const reasons = fourth.alerts[0].significance!.reasons.join('\n');
      expect(reasons).toMatch(/silent/i);
      expect(reasons).toMatch(/Japan/);
    } finally {
      await ctx.close();
      await fetcher.close();
    }
  });
});
