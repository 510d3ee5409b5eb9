/**
 * Does an unchanged cycle stay flat as history grows? A separate archive for a subset of
 * the pages is taken to 1, 10, 50 and 100 versions per source; at each level the unchanged
 * cycle is timed a few times (a fresh process each time, as a cron-driven `redline check`
 * runs). Versions are added by grow-child.ts through the store API, then one real check
 * cycle stores the served page as the newest version with its real validators, so the
 * timed cycles are the ordinary 304 path.
 */
import { join } from 'node:path';
import { repoRoot, runRedlineCycle, scriptArgs, writeWatchList, type RedlineRun } from './redline.js';
import { settleDisk, tail, timed } from './proc.js';

export interface HistoryLevel {
  versions: number;
  /** Unchanged checks appended after the newest version (0 for the version levels). */
  quietChecks: number;
  /** In-process cycle times of the repeated unchanged cycles (ms). */
  cycleMs: number[];
  wallMs: number[];
  rssKB: number[];
  /** Time the setup took (synthetic versions + the realigning check), for the record. */
  setupMs: number;
}

export interface HistoryOptions {
  dir: string;
  origin: string;
  seed: number;
  indices: number[];
  levels?: number[];
  /** After the last level: this many unchanged checks per source, then the cycle timed again (0 skips). */
  quietChecks?: number;
  repeats?: number;
  log: (line: string) => void;
}

export const DEFAULT_LEVELS = [1, 10, 50, 100];

function expect(run: RedlineRun, what: string, counts: Partial<RedlineRun['counts']>): void {
  for (const [k, v] of Object.entries(counts)) {
    if (run.counts[k as keyof RedlineRun['counts']] !== v) {
      throw new Error(`history ${what}: expected ${v} ${k}, got ${JSON.stringify(run.counts)}; failures: ${run.failures.join(' | ') || 'none'}`);
    }
  }
}

export async function historyBench(o: HistoryOptions): Promise<HistoryLevel[]> {
  const levels = o.levels ?? DEFAULT_LEVELS;
  const repeats = o.repeats ?? 5;
  const archive = join(o.dir, 'history-archive');
  const config = join(o.dir, 'history.yaml');
  const n = o.indices.length;
  writeWatchList(config, { archive, origin: o.origin, indices: o.indices });
  const out: HistoryLevel[] = [];
  let versions = 0;
  for (const level of levels) {
    const t0 = Date.now();
    if (versions === 0) {
      expect(await runRedlineCycle(config, o.dir), 'first check', { new: n });
      versions = 1;
    }
    if (level > versions) {
      // Synthetic versions up to level-1, then the real page becomes version `level`.
      const add = level - versions - 1;
      if (add > 0) {
        const grow = await timed(
          process.execPath,
          [...scriptArgs('bench/cycle/grow-child.ts'), archive, String(o.seed), String(add), o.origin, ...o.indices.map(String)],
          { scratch: o.dir, cwd: repoRoot, env: { ...process.env, UV_THREADPOOL_SIZE: '16' } },
        );
        if (grow.code !== 0) throw new Error(`history setup (grow-child) failed with exit ${grow.code}:\n${tail(grow.stderr)}`);
      }
      expect(await runRedlineCycle(config, o.dir), `realign at ${level} versions`, { changed: n });
      versions = level;
    }
    out.push(await timeLevel({ versions, quietChecks: 0, setupMs: Date.now() - t0 }));
  }
  const quiet = o.quietChecks ?? 0;
  if (quiet > 0) {
    // A statement that does not change still gets an entry per check: cron-driven checks add
    // up. Measured so the report says what a long quiet run costs a fresh process.
    const t0 = Date.now();
    const grow = await timed(
      process.execPath,
      [...scriptArgs('bench/cycle/grow-child.ts'), '--unchanged', archive, String(o.seed), String(quiet), o.origin, ...o.indices.map(String)],
      { scratch: o.dir, cwd: repoRoot, env: { ...process.env, UV_THREADPOOL_SIZE: '16' } },
    );
    if (grow.code !== 0) throw new Error(`history setup (grow-child --unchanged) failed with exit ${grow.code}:\n${tail(grow.stderr)}`);
    out.push(await timeLevel({ versions, quietChecks: quiet, setupMs: Date.now() - t0 }));
  }
  return out;

  async function timeLevel(l: Pick<HistoryLevel, 'versions' | 'quietChecks' | 'setupMs'>): Promise<HistoryLevel> {
    const level: HistoryLevel = { ...l, cycleMs: [], wallMs: [], rssKB: [] };
    for (let r = 0; r < repeats; r++) {
      settleDisk();
      const run = await runRedlineCycle(config, o.dir);
      expect(run, `unchanged cycle at ${l.versions} versions`, { unchanged: n });
      level.cycleMs.push(run.cycleMs);
      level.wallMs.push(run.wallMs);
      level.rssKB.push(run.processRssKB);
    }
    const what = `${l.versions} versions${l.quietChecks ? ` + ${l.quietChecks} unchanged checks` : ''}`;
    o.log(`history: ${what} × ${n} sources: unchanged cycle ${level.cycleMs.map((x) => x.toFixed(0)).join(' / ')} ms (setup ${(l.setupMs / 1000).toFixed(1)} s)`);
    return level;
  }
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
