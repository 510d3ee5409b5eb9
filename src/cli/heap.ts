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
  if (userGave('heap-growing-percent')) return;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** Whether the command line or NODE_OPTIONS already sets this V8 flag (either spelling). */
function userGave(flag: string): boolean {
  const re = new RegExp(`^--${flag.replace(/-/g, '[-_]')}\\b`);
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => re.test(a));
}

/**
 * Semi-space size Node 20 picks on a machine with more than ~2 GiB: V8 12+ (Node 22/24) scales
 * its default with the heap limit instead, to 64 MB on a 24 GiB machine, and a young generation
 * of 3 × 64 MB is most of why a Node 24 `redline watch` sat near 290 MB where Node 20 sat near
 * 145 MB (bench soak). Throughput at 16 MB is what Node 20 has always had.
 */
export const SEMI_SPACE_MB = 16;

/**
 * glibc serves a block from its heaps unless it is at least this big (128 KB by default, and
 * each freed mmapped block raises the default up to 32 MB). Node 24's V8 compiles with Maglev
 * on worker threads, in 32 KB zone segments, and zlib's deflate takes 64 KB windows on the
 * threadpool: freed, they left the main heap and the threads' arenas fragmented, so a Node 24
 * `redline watch` held ~36 MB of malloc heap that glibc's malloc_trim could give back (41 → 23
 * MB, RSS 212 → 181 MB, after the first check of 1,000 sources), where Node 20's held 7 MB
 * (perf probe on malloc; heaptrack). From 32 KB up each block is its own mapping, returned when
 * freed: in 60 s of the same watch, RSS 109–120 MB against 147–154 MB at 128 KB. Setting the
 * value also switches glibc's raising off. Other C libraries ignore the variable.
 */
export const MALLOC_MMAP_THRESHOLD = 32 * 1024;

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * V8 sizes the young generation once, when the heap is set up, and glibc reads its settings
 * once, at start, so neither can be set from inside (v8.setFlagsFromString has no effect on the
 * semi-space). A long-running command calls this first thing: on a runtime whose defaults are
 * larger, the process replaces itself (same pid, same stdio, nothing opened yet) with one
 * started with `--max-semi-space-size` and a fixed malloc mmap threshold. `process.execve`
 * exists from Node 22.15 / 23.11; older 22.x keep the larger defaults. A user's own values win.
 */
export function restartWithMemoryCaps(semiSpaceMB = SEMI_SPACE_MB, nodeVersion = process.versions.node): 'restarted' | 'not needed' | 'no execve' {
  if (heapLimitHelps(nodeVersion)) return 'not needed';
  const flags = userGave('max-semi-space-size') ? [] : [`--max-semi-space-size=${semiSpaceMB}`];
  const pinMalloc = !userSetMmapThreshold();
  if (flags.length === 0 && !pinMalloc) return 'not needed';
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof execve !== 'function') return 'no execve';
  const args = [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)];
  const env = pinMalloc ? { ...process.env, MALLOC_MMAP_THRESHOLD_: String(MALLOC_MMAP_THRESHOLD) } : process.env;
  execve.call(process, process.execPath, args, env);
  return 'restarted';
}

function userSetMmapThreshold(): boolean {
  return process.env.MALLOC_MMAP_THRESHOLD_ !== undefined || /mmap_threshold/.test(process.env.GLIBC_TUNABLES ?? '');
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

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;
let gcFunction: Gc | undefined;
function exposedGc(): Gc | undefined {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') gcFunction = gc as Gc;
  }
  return gcFunction;
}

/**
 * A full collection that also moves live objects together and hands the emptied pages back to
 * the system. A plain full collection frees objects but keeps the pages they sat on: old-space
 * pages half full of survivors stay mapped, and in a never-idle process that is how RSS crept up
 * 1–3 MB/h while the live heap stayed flat (bench soak; heap snapshots 32 min apart at 6× the
 * change rate: +0.3 MB live). Measured on 40 MB of promoted data with 1 object in 20 kept:
 * plain collection 142 → 135 MB RSS (old space stays 52 MB); this 142 → 108 on Node 20 and
 * 141 → 82 on Node 24 (old space 25 MB). Node 22+'s V8 does it as the "last-resort" collection
 * (memory-reducing, as under memory pressure); Node 20's V8 has no such option, so compaction
 * is forced for the one collection and switched off again.
 */
export function compactHeapNow(): void {
  const gc = exposedGc();
  if (!gc) return;
  if (!heapLimitHelps()) return gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/**
 * V8 gives back heap it no longer needs only when the process looks idle: its memory reducer
 * waits for the allocation rate to drop. `redline watch` checks something every few seconds and
 * never looks idle, so its heap settles at the size V8 picks for throughput, and fragments. A
 * compacting collection every few minutes does the memory reducer's job; on a heap this size
 * (~35 MB live) it takes tens of milliseconds. `after` gets the memory use right after each one:
 * the heap then is the live heap, the one figure in which a leak shows without V8's sizing
 * (young generation, old space between collections) in the way. Returns the stop function.
 */
export function trimHeapEvery(ms: number, after?: (usage: NodeJS.MemoryUsage) => void): () => void {
  const timer = setInterval(() => {
    compactHeapNow();
    after?.(process.memoryUsage());
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}
