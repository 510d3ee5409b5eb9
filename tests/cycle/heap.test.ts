/** The executable's heap set-up (src/cli/heap.ts): it really bounds growth, and a user's own flag wins. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEAP_GROWING_PERCENT, collectGarbageNow, compactHeapNow, heapLimitHelps, limitHeapGrowth, trimHeapEvery } from '../../src/cli/heap.js';

const child = path.join(import.meta.dirname, 'heap-child.ts');

function peakMB(mode: 'limit' | 'default'): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, mode], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { peakMB: number; live: number; made: number };
  expect(r.live).toBe(300_000);
  return r.peakMB;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('limitHeapGrowth', () => {
  it.runIf(heapLimitHelps())('keeps the heap of a garbage-heavy process well below what V8 grows to by default', () => {
    const limited = peakMB('limit');
    const unlimited = peakMB('default');
    // Same work in both: ~30 MB live, 6 M short-lived objects. On Node 20 (V8 11.3) the default
    // grows to ~2× the limited heap.
    expect(limited).toBeLessThan(unlimited * 0.75);
  });

  it.runIf(!heapLimitHelps())('leaves newer V8 (Node 22/24) to its own heap sizing', () => {
    const spy = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    limitHeapGrowth();
    expect(spy).not.toHaveBeenCalled();
  });

  it('applies only on the V8 it was measured on (Node 20)', () => {
    expect(heapLimitHelps('20.20.2')).toBe(true);
    expect(heapLimitHelps('22.12.0')).toBe(false);
    expect(heapLimitHelps('24.21.0')).toBe(false);
  });

  it.runIf(heapLimitHelps())('sets the growing percent when the user gave none', () => {
    vi.stubEnv('NODE_OPTIONS', '--max-old-space-size=2048');
    const spy = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    limitHeapGrowth();
    expect(spy).toHaveBeenCalledWith(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it("leaves a user's own --heap-growing-percent alone (NODE_OPTIONS, either spelling)", () => {
    const spy = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    vi.stubEnv('NODE_OPTIONS', '--heap_growing_percent=200');
    limitHeapGrowth();
    vi.stubEnv('NODE_OPTIONS', '--trace-gc --heap-growing-percent=10');
    limitHeapGrowth();
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('collectGarbageNow', () => {
  it('collects old garbage at once, on every supported runtime', () => {
    // Retained long enough to be promoted, then dropped: only a full collection frees it.
    let parseTrees: { i: number; s: string }[][] | undefined = Array.from({ length: 40 }, (_, k) =>
      Array.from({ length: 20_000 }, (_, i) => ({ i, s: `node ${k}:${i}` })));
    expect(parseTrees.length).toBe(40);
    parseTrees = undefined;
    const before = process.memoryUsage().heapUsed;
    collectGarbageNow();
    const after = process.memoryUsage().heapUsed;
    expect(before - after).toBeGreaterThan(20 * 1024 * 1024);
  });
});

describe('compactHeapNow', () => {
  const compactChild = path.join(import.meta.dirname, 'heap-compact-child.ts');
  function after(mode: 'compact' | 'plain') {
    const out = execFileSync(process.execPath, ['--import', 'tsx', compactChild, mode], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { oldSpaceMB: number; liveMB: number; rssMB: number; kept: number };
    expect(r.kept).toBe(300_000);
    return r;
  }

  it('gives back the pages a fragmented old generation holds, where a plain full collection keeps them', () => {
    const plain = after('plain');
    const compact = after('compact');
    // Same live data in both (~43 MB with tsx). Measured: old space 73 → 44 MB and RSS 181 →
    // 149 MB on Node 20; old space 79 → 44 MB and RSS 309 → 109 MB on Node 24.
    expect(compact.liveMB).toBeLessThan(plain.liveMB * 1.2);
    expect(compact.oldSpaceMB).toBeLessThan(plain.oldSpaceMB * 0.7);
    expect(compact.rssMB).toBeLessThan(plain.rssMB - 15);
  });

  it('leaves Node 20 with compaction switched off again for V8\'s own collections', () => {
    const spy = vi.spyOn(v8, 'setFlagsFromString');
    compactHeapNow();
    const flags = spy.mock.calls.map((c) => c[0]).filter((f) => f.includes('compact'));
    if (heapLimitHelps()) expect(flags).toEqual(['--compact-on-every-full-gc', '--no-compact-on-every-full-gc']);
    else expect(flags).toEqual([]);
  });
});

describe('trimHeapEvery', () => {
  it('frees dropped old garbage on its own timer', async () => {
    let held: { i: number; s: string }[][] | undefined = Array.from({ length: 40 }, (_, k) =>
      Array.from({ length: 20_000 }, (_, i) => ({ i, s: `entry ${k}:${i}` })));
    expect(held.length).toBe(40);
    collectGarbageNow();
    held = undefined;
    const before = process.memoryUsage().heapUsed;
    const after: NodeJS.MemoryUsage[] = [];
    const stop = trimHeapEvery(50, (m) => after.push(m));
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(before - process.memoryUsage().heapUsed).toBeGreaterThan(20 * 1024 * 1024);
    // What the watch logs after each trim is the heap as the compaction left it.
    expect(after.length).toBeGreaterThan(1);
    expect(before - after[0]!.heapUsed).toBeGreaterThan(20 * 1024 * 1024);
  });
});
