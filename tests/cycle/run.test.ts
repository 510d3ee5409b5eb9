/** checkAll's worker pool: every source checked once, results in list order, never more than `concurrency` in flight. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { openContext, type OpenedContext } from '../../src/core/context.js';
import { checkAll } from '../../src/core/run.js';

let dir: string;
let server: Server;
let origin: string;
let inFlight = 0;
let maxInFlight = 0;
const hits = new Map<string, number>();

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'redline-run-'));
  inFlight = 0;
  maxInFlight = 0;
  hits.clear();
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Held a moment so that checks overlap and the cap is what limits them.
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><body><main><h1>Statement ${req.url}</h1><p>The ministry said the text of ${req.url} stands as published.</p></main></body></html>`);
    }, 20);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function open(n: number): Promise<{ ctx: OpenedContext; ids: string[] }> {
  const ids = Array.from({ length: n }, (_, i) => `page-${String(i).padStart(2, '0')}`);
  const yaml = [
    `archive: ${JSON.stringify(path.join(dir, 'archive'))}`,
    'defaults:',
    '  per_host_concurrency: 64',
    '  per_host_delay: 0s',
    'sources:',
    ...ids.map((id) => `  - id: ${id}\n    url: ${origin}/${id}`),
  ].join('\n');
  const config = parseConfigText(yaml, path.join(dir, 'redline.yaml'), {});
  return { ctx: await openContext(config), ids };
}

describe('checkAll', () => {
  it('checks each source once, in list order, at most `concurrency` at a time', async () => {
    const { ctx, ids } = await open(23);
    const seen: number[] = [];
    try {
      const bySlot: string[] = [];
      const counts = await checkAll(ctx, ctx.config.sources, {
        concurrency: 5,
        onResult: (o, done, total, index) => {
          seen.push(done);
          bySlot[index] = `${o.source}:${o.outcome}`;
          expect(total).toBe(23);
        },
      });
      expect(bySlot).toEqual(ids.map((id) => `${id}:new`));
      expect(counts).toEqual({ checked: 23, new: 23, changed: 0, unchanged: 0, failed: 0, alerts: 0 });
      expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
      expect([...hits.values()].every((n) => n === 1)).toBe(true);
      expect(hits.size).toBe(23);
      expect(maxInFlight).toBeLessThanOrEqual(5);
      expect(maxInFlight).toBeGreaterThan(1);
    } finally {
      await ctx.close();
    }
  });

  it('handles an empty list and a concurrency above the number of sources', async () => {
    const { ctx } = await open(3);
    try {
      expect(await checkAll(ctx, [], { concurrency: 4 })).toMatchObject({ checked: 0 });
      expect(await checkAll(ctx, ctx.config.sources, { concurrency: 50 })).toMatchObject({ checked: 3, new: 3 });
      expect(await checkAll(ctx, ctx.config.sources, { concurrency: 50 })).toMatchObject({ checked: 3, unchanged: 3 });
    } finally {
      await ctx.close();
    }
  });
});
