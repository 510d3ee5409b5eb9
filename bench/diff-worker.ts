/**
 * One benchmark case in a fresh process, so its peak memory is its own:
 * `diff-worker.ts <a> <b> <runs>` prints JSON with the median diffText time.
 */
import { readFileSync } from 'node:fs';
import { diffText } from '../src/diff/index.js';

const [aPath, bPath, runsArg] = process.argv.slice(2);
const a = readFileSync(aPath, 'utf8');
const b = readFileSync(bPath, 'utf8');
const runs = Number(runsArg) || 5;
const rssBefore = process.memoryUsage().rss;
// Warm up like a long-running monitor would be: at least 3 runs and about a
// second, so the optimising compiler has finished before timing starts.
const warmStart = performance.now();
for (let i = 0; i < 3 || (performance.now() - warmStart < 1000 && i < 500); i++) diffText(a, b);
const times: number[] = [];
const cpu: number[] = [];
let report = diffText(a, b);
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  report = diffText(a, b);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  // All threads of the process (the garbage collector's helpers included).
  cpu.push((c.user + c.system) / 1000);
}
cpu.sort((x, y) => x - y);
times.sort((x, y) => x - y);
process.stdout.write(
  JSON.stringify({
    median: times[Math.floor(times.length / 2)],
    cpuMedian: cpu[Math.floor(cpu.length / 2)],
    min: times[0],
    max: times[times.length - 1],
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    baseRssMB: rssBefore / 1024 / 1024,
    changes: report.changes.length,
    degraded: report.degraded,
    stats: report.stats,
  }),
);
