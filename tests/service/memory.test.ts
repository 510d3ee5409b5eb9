import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('memory over many ticks', () => {
  it('10,000 sources: heap after GC does not grow across ticks and reloads', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(here, 'fixtures', 'memory-child.ts'), '6'],
      { cwd: path.resolve(here, '../..'), timeout: 60_000 },
    );
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!);
    console.log('service memory figures:', figures);
    expect(figures.failed).toBe(0);
    // Every tick after the baseline checked all 10,000 sources (half of them every other tick while rescheduled): 4 ticks.
    expect(figures.checksSinceBaseline).toBeGreaterThanOrEqual(25_000);
    expect(figures.reloads).toBeGreaterThanOrEqual(5);
    // No leaked node-cron tasks: one per live group.
    expect(figures.cronTasks).toBe(figures.groups);
    // Generous bound: a leak of even 100 bytes per check would add > 4 MB here.
    expect(figures.growthMB).toBeLessThan(4);
  });
});
