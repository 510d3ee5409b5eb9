/** The soak bench's leak canary is loaded through the environment the bench gives the watch process. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseSoakArgs } from '../../bench/soak/options.js';
import { preloadEnv } from '../../bench/soak/watch.js';

describe('soak --leak', () => {
  it('loads the canary into a child started with its environment, at the rate asked', () => {
    const env = { ...process.env, ...preloadEnv({ leakMBh: 2 }) };
    const r = spawnSync(process.execPath, ['-e', 'console.log(Array.isArray(globalThis.__redlineLeakCanary))'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('true');
    // 2 MB an hour in 360 ticks of 10 s: 5,825 bytes, 728 doubles a tick.
    expect(r.stderr).toMatch(/\[leak-canary\] pid \d+ keeps 2 MB\/h \(728 doubles every 10 s\)/);
  });

  it('keeps the NODE_OPTIONS the user had', () => {
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--max-old-space-size=512';
    try {
      expect(preloadEnv({ leakMBh: 1 }).NODE_OPTIONS).toMatch(/^--max-old-space-size=512 --require ".*leak-canary\.cjs"$/);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });

  it('is off unless asked, and takes a rate in MB per hour', () => {
    const d = { out: '/tmp/x.md', redline: '/tmp' };
    expect(parseSoakArgs([], d).leakMBh).toBe(0);
    expect(parseSoakArgs(['--leak', '0.5'], d).leakMBh).toBe(0.5);
    expect(() => parseSoakArgs(['--leak', '-1'], d)).toThrow(/--leak needs a number ≥ 0/);
  });
});
