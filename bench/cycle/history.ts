/**
 * Does an unchanged cycle stay flat as history grows? For a subset of the pages, one archive
 * per level holds 1, 10, 50 and 100 versions per source; the unchanged cycle is timed on each
 * in rotating rounds (a fresh process each time, as a cron-driven `redline check` runs).
 * Versions are added by grow-child.ts through the store API, then one real check cycle
 * stores the served page as the newest version with its real validators, so the timed
 * cycles are the ordinary 304 path.
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
  const repeats = o.repeats ?? 8;
  const n = o.indices.length;
  // One archive per level, all built before any timing, then timed in rounds that rotate the
  // order. Timing each level right after growing it (as this bench first did) put the levels
  // minutes apart, with the setup's writeback and whatever else shares the machine falling on
  // some levels and not others: the ratios moved by ±20% between runs of the same tree.
  const built: Array<{ config: string; level: HistoryLevel }> = [];
  for (const versions of levels) {
    const t0 = Date.now();
    const archive = join(o.dir, `history-${versions}`);
    const config = join(o.dir, `history-${versions}.yaml`);
    writeWatchList(config, { archive, origin: o.origin, indices: o.indices });
    expect(await runRedlineCycle(config, o.dir), `first check for ${versions} versions`, { new: n });
    if (versions > 1) {
      // Synthetic versions 2 … versions-1, then the real page becomes version `versions`.
      if (versions > 2) await grow(archive, versions - 2);
      expect(await runRedlineCycle(config, o.dir), `realign at ${versions} versions`, { changed: n });
    }
    built.push({ config, level: untimed(versions, 0, Date.now() - t0) });
  }
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < built.length; k++) await timeOnce(built[(r + k) % built.length]!);
  }
  for (const b of built) report(b.level);
  const out = built.map((b) => b.level);
  const quiet = o.quietChecks ?? 0;
  const last = built.at(-1);
  if (quiet > 0 && last) {
    // A statement that does not change still gets an entry per check: cron-driven checks add
    // up. Measured so the report says what a long quiet run costs a fresh process. Timed on its
    // own after the rest: its first run (no checkpoint yet) is the point, and cannot be repeated.
    const t0 = Date.now();
    await grow(join(o.dir, `history-${last.level.versions}`), quiet, { unchanged: true });
    const b = { config: last.config, level: untimed(last.level.versions, quiet, Date.now() - t0) };
    for (let r = 0; r < Math.min(repeats, 5); r++) await timeOnce(b);
    report(b.level);
    out.push(b.level);
  }
  return out;

  function untimed(versions: number, quietChecks: number, setupMs: number): HistoryLevel {
    return { versions, quietChecks, setupMs, cycleMs: [], wallMs: [], rssKB: [] };
  }

  async function grow(archive: string, count: number, { unchanged = false } = {}): Promise<void> {
    const args = [...(unchanged ? ['--unchanged'] : []), archive, String(o.seed), String(count), o.origin, ...o.indices.map(String)];
    const run = await timed(
      process.execPath,
      [...scriptArgs('bench/cycle/grow-child.ts'), ...args],
      { scratch: o.dir, cwd: repoRoot, env: { ...process.env, UV_THREADPOOL_SIZE: '16' } },
    );
    if (run.code !== 0) throw new Error(`history setup (grow-child${unchanged ? ' --unchanged' : ''} ${count}) failed with exit ${run.code}:\n${tail(run.stderr)}`);
  }

  async function timeOnce(b: { config: string; level: HistoryLevel }): Promise<void> {
    settleDisk();
    const run = await runRedlineCycle(b.config, o.dir);
    expect(run, `unchanged cycle at ${b.level.versions} versions`, { unchanged: n });
    b.level.cycleMs.push(run.cycleMs);
    b.level.wallMs.push(run.wallMs);
    b.level.rssKB.push(run.processRssKB);
  }

  function report(l: HistoryLevel): void {
    const what = `${l.versions} versions${l.quietChecks ? ` + ${l.quietChecks} unchanged checks` : ''}`;
    o.log(`history: ${what} × ${n} sources: unchanged cycle ${l.cycleMs.map((x) => x.toFixed(0)).join(' / ')} ms (setup ${(l.setupMs / 1000).toFixed(1)} s)`);
  }
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
