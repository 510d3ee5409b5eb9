/**
 * Child for heap.test.ts: fills the old generation with 40 MB of promoted objects, keeps one in
 * twenty (a fragmented heap, like hours of checks), then collects with argv[2] = "compact"
 * (compactHeapNow) or "plain" (collectGarbageNow) and prints what V8 and the system hold after.
 */
import v8 from 'node:v8';
import { collectGarbageNow, compactHeapNow } from '../../src/cli/heap.js';

// In a function: a module's top level with await keeps its locals (the last batch) alive.
function fragment(): { i: number; s: string }[][] {
  const kept: { i: number; s: string }[][] = [];
  for (let round = 0; round < 30; round++) {
    const batch: { i: number; s: string }[] = [];
    for (let i = 0; i < 200_000; i++) batch.push({ i, s: `entry ${round}:${i}` });
    collectGarbageNow(); // promotes the batch to the old generation
    kept.push(batch.filter((_, i) => i % 20 === 0));
  }
  return kept;
}
const kept = fragment();
if (process.argv[2] === 'compact') compactHeapNow();
else collectGarbageNow();
// Freed pages go back to the system from a background thread: give it a moment.
await new Promise((r) => setTimeout(r, 1000));
const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!;
process.stdout.write(`${JSON.stringify({ oldSpaceMB: old.space_size / 1048576, liveMB: process.memoryUsage().heapUsed / 1048576, rssMB: process.memoryUsage().rss / 1048576, kept: kept.flat().length })}\n`);
