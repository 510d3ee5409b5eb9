// A known JavaScript leak for `npm run bench -- soak --leak R`: the bench loads this into the
// watch process only (NODE_OPTIONS=--require, REDLINE_LEAK_MB_PER_HOUR=R), so that the memory
// rule can be shown to catch a leak of that size and not only to pass a run without one.
'use strict';
const rate = Number(process.env.REDLINE_LEAK_MB_PER_HOUR);
if (rate > 0) {
  const tickMs = 10_000;
  const doubles = Math.round((rate * 1024 * 1024) / (3_600_000 / tickMs) / 8);
  const kept = (globalThis.__redlineLeakCanary = []);
  let tick = 0;
  setInterval(() => {
    tick++;
    // Distinct doubles in a fresh array: one FixedDoubleArray of `doubles` × 8 bytes on the V8 heap.
    kept.push(Array.from({ length: doubles }, (_, k) => k + tick + 0.5));
  }, tickMs).unref();
  process.stderr.write(`[leak-canary] pid ${process.pid} keeps ${rate} MB/h (${doubles} doubles every ${tickMs / 1000} s)\n`);
}
