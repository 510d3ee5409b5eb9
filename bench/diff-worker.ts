/**
 * One benchmark case in a fresh process, so its peak memory is its own:
 * `diff-worker.ts <a> <b> <runs>` prints JSON with median times.
 *
 * Redline and git are timed alternately, run by run, so both see the same
 * machine load (the machine is shared; measuring one after the other let a
 * burst of other work land on one side only).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { diffText } from '../src/diff/index.js';

const [aPath, bPath, runsArg] = process.argv.slice(2);
const a = readFileSync(aPath, 'utf8');
const b = readFileSync(bPath, 'utf8');
const runs = Number(runsArg) || 5;
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

function git(): number {
  const t0 = performance.now();
  const r = spawnSync('git', ['diff', '--no-index', '--word-diff=porcelain', aPath, bPath], { maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  // Exit 1 means "the files differ"; anything else is a real failure.
  if (r.status !== 0 && r.status !== 1) throw new Error(`git diff failed on ${aPath} ${bPath}: status ${r.status}, ${r.stderr?.toString().slice(0, 300)}`);
  return ms;
}

/** git's CPU time (user + system, ms resolution) via bash's `time`, which counts children. */
function gitCpu(): number {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `TIMEFORMAT='%3U %3S'; time git diff --no-index --word-diff=porcelain ${q(aPath)} ${q(bPath)} >/dev/null 2>&1`;
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
  const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`could not read git's CPU time from bash: ${r.stderr.slice(0, 200)}`);
  return (Number(m[1]) + Number(m[2])) * 1000;
}

const rssBefore = process.memoryUsage().rss;
// Warm up like a long-running monitor would be: at least 3 runs and about a
// second, so the optimising compiler has finished before timing starts.
const warmStart = performance.now();
for (let i = 0; i < 3 || (performance.now() - warmStart < 1000 && i < 500); i++) diffText(a, b);
git();

const wall: number[] = [];
const cpu: number[] = [];
const gitWall: number[] = [];
const gitCpuMs: number[] = [];
let report = diffText(a, b);
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  report = diffText(a, b);
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  // All threads of the process (the garbage collector's helpers included).
  cpu.push((c.user + c.system) / 1000);
  gitWall.push(git());
  gitCpuMs.push(gitCpu());
}
process.stdout.write(
  JSON.stringify({
    median: median(wall),
    cpuMedian: median(cpu),
    gitMedian: median(gitWall),
    gitCpuMedian: median(gitCpuMs),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    baseRssMB: rssBefore / 1024 / 1024,
    changes: report.changes.length,
    degraded: report.degraded,
    stats: report.stats,
  }),
);
