/**
 * V8 lets the old generation grow to up to 4× what survived the last full GC on a machine
 * with plenty of memory. A check cycle holds a few KB per source for the whole run while
 * making short-lived garbage for every page, so with that factor a `redline check` over
 * 10,000 sources peaked at ~270 MB RSS for ~70 MB of live data (bench/RESULTS-cycle.md).
 * Growing by 1.5× instead keeps the peak near 190 MB for 10–20% more GC time (Node 20; newer
 * V8 in Node 22/24 grows less by default, so the gain there is smaller).
 * `--heap-growing-percent` is read at every limit computation, so setting it at start-up
 * works; a NODE_OPTIONS / command-line value set by the user wins.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export const HEAP_GROWING_PERCENT = 50;

/**
 * Measured on Node 20's V8 (11.3) only. Newer V8 (Node 22/24) already grows less by default,
 * and there the flag made the peak no smaller and sometimes larger (tests/cycle/heap.test.ts),
 * so it is left alone.
 */
export function heapLimitHelps(nodeVersion = process.versions.node): boolean {
  return Number(nodeVersion.split('.')[0]) <= 20;
}

export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (!heapLimitHelps()) return;
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * A full collection now. Parsing a big watch list (10,000 sources: ~20,000 YAML lines) leaves
 * tens of MB of dead parse trees in the old generation and raises V8's limit for it, so without
 * this the first checks ran on top of that garbage until the heap reached the raised limit:
 * the process peaked ~30 MB above where it then stayed for the whole run. V8 offers a collection
 * only behind --expose-gc; turning the flag on at run time makes `gc` available in a new context.
 */
export function collectGarbageNow(): void {
  exposedGc()?.();
}

let gcFunction: (() => void) | undefined;
function exposedGc(): (() => void) | undefined {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') gcFunction = gc as () => void;
  }
  return gcFunction;
}

/**
 * V8 gives back heap it no longer needs only when the process looks idle: its memory reducer
 * waits for the allocation rate to drop. `redline watch` checks something every few seconds and
 * never looks idle, so its heap settles at the size V8 picks for throughput. On Node 24 that was
 * ~160 MB of heap pages for ~36 MB of live data (a 290 MB process, against 145 MB on Node 20
 * with the growth limit above; bench soak). A full collection every few minutes does the memory
 * reducer's job; on a heap this size it takes tens of milliseconds. Returns the stop function.
 */
export function trimHeapEvery(ms: number): () => void {
  const timer = setInterval(() => collectGarbageNow(), ms);
  timer.unref();
  return () => clearInterval(timer);
}
