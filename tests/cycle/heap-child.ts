/**
 * Child for heap.test.ts: keeps ~30 MB live and churns garbage that lives across an await,
 * like a check cycle; prints the largest heapTotal seen. argv[2] = "limit" calls the CLI's set-up.
 */
import { limitHeapGrowth } from '../../src/cli/heap.js';

if (process.argv[2] === 'limit') limitHeapGrowth();
const live: { id: number; s: string; a: number[] }[] = [];
for (let i = 0; i < 300_000; i++) live.push({ id: i, s: 'x'.repeat(40) + i, a: [i, i + 1] });
let peak = 0;
let made = 0;
for (let round = 0; round < 300; round++) {
  const junk: object[] = [];
  for (let i = 0; i < 20_000; i++) junk.push({ round, i, s: `junk ${round} ${i}`, inner: { v: i } });
  await new Promise((r) => setImmediate(r));
  made += junk.length;
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
process.stdout.write(`${JSON.stringify({ peakMB: peak / 1048576, live: live.length, made })}\n`);
