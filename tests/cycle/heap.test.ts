/** The executable's heap set-up (src/cli/heap.ts): it really bounds growth, and a user's own flag wins. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../src/cli/heap.js';

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
  it('keeps the heap of a garbage-heavy process well below what V8 grows to by default', () => {
    const limited = peakMB('limit');
    const unlimited = peakMB('default');
    // Same work in both: ~30 MB live, 6 M short-lived objects. On Node 20 (V8 11.3) the default
    // grows to ~2× the limited heap; newer V8 (Node 22/24) grows less by default, so the gain is smaller.
    const major = Number(process.versions.node.split('.')[0]);
    expect(limited).toBeLessThan(unlimited * (major <= 20 ? 0.75 : 0.97));
  });

  it('sets the growing percent when the user gave none', () => {
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
