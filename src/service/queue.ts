/**
 * The work queue between schedule ticks and checks: global concurrency, one entry per source
 * id at most (an id already queued or running is refused, so a source is never checked twice
 * at once however its ticks pile up), and a per-key cap with round-robin between keys. The key
 * is the source's host: the fetch layer makes a host's extra requests wait for its politeness
 * gate, and without the cap here a thousand sources on one host would fill every global slot
 * with waiting and stall every other host. Ids only, no closures: stop() drops waiting work
 * without leaving promises that never settle, and 10,000 queued sources cost little.
 */

export interface WorkQueue {
  /**
   * Queues `id` under `key` (at most `keyLimit` of that key run at once; the latest limit
   * given for a key wins). False, and nothing happens, if the id is already queued or
   * running or the queue is closed.
   */
  push(id: string, key?: string, keyLimit?: number): boolean;
  has(id: string): boolean;
  readonly queued: number;
  readonly running: number;
  runningIds(): string[];
  /** Refuses new work and forgets everything waiting; running work continues. Returns how many were dropped. */
  close(): number;
  /** Resolves once nothing is running (immediately if nothing is). */
  idle(): Promise<void>;
}

export interface WorkQueueOptions {
  concurrency: number;
  /** Runs one id. Rejections are the caller's to report; the queue only frees the slot. */
  run: (id: string) => Promise<void>;
}

interface Lane {
  key: string;
  waiting: string[];
  head: number;
  running: number;
  limit: number;
  /** Whether the lane is in the ready ring (has waiting ids and a free slot). */
  ready: boolean;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const concurrency = positiveInteger(options.concurrency, 'work queue concurrency');
  const lanes = new Map<string, Lane>();
  /** Lanes that can start work now, served round-robin. */
  let ring: Lane[] = [];
  let ringHead = 0;
  const state = new Map<string, { lane: Lane; running: boolean }>();
  let queued = 0;
  let running = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const canRun = (lane: Lane) => lane.head < lane.waiting.length && lane.running < lane.limit;

  function makeReady(lane: Lane): void {
    if (!lane.ready && canRun(lane)) {
      lane.ready = true;
      ring.push(lane);
    }
  }

  function retire(lane: Lane): void {
    // A lane with nothing waiting or running is dropped, so the map tracks live hosts only.
    if (lane.running === 0 && lane.head >= lane.waiting.length && !lane.ready) lanes.delete(lane.key);
  }

  function finish(id: string, lane: Lane): void {
    state.delete(id);
    running--;
    lane.running--;
    makeReady(lane);
    retire(lane);
    if (running === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    pump();
  }

  function pump(): void {
    while (!closed && running < concurrency && ringHead < ring.length) {
      const lane = ring[ringHead++];
      lane.ready = false;
      if (!canRun(lane)) continue;
      const id = lane.waiting[lane.head];
      lane.waiting[lane.head++] = '';
      if (lane.head > 64 && lane.head * 2 > lane.waiting.length) {
        lane.waiting = lane.waiting.slice(lane.head);
        lane.head = 0;
      }
      queued--;
      lane.running++;
      running++;
      state.set(id, { lane, running: true });
      makeReady(lane);
      let started: Promise<void>;
      try {
        started = options.run(id);
      } catch (error) {
        started = Promise.reject(error);
      }
      started.then(
        () => finish(id, lane),
        () => finish(id, lane),
      );
    }
    if (ringHead > 64 && ringHead * 2 > ring.length) {
      ring = ring.slice(ringHead);
      ringHead = 0;
    }
  }

  return {
    push(id, key = id, keyLimit = concurrency) {
      if (closed || state.has(id)) return false;
      let lane = lanes.get(key);
      if (!lane) {
        lane = { key, waiting: [], head: 0, running: 0, limit: 1, ready: false };
        lanes.set(key, lane);
      }
      lane.limit = positiveInteger(keyLimit, `per-key limit for "${key}"`);
      lane.waiting.push(id);
      queued++;
      state.set(id, { lane, running: false });
      makeReady(lane);
      pump();
      return true;
    },
    has: (id) => state.has(id),
    get queued() {
      return queued;
    },
    get running() {
      return running;
    },
    runningIds() {
      const ids: string[] = [];
      for (const [id, s] of state) if (s.running) ids.push(id);
      return ids;
    },
    close() {
      const dropped = queued;
      closed = true;
      for (const [id, s] of state) if (!s.running) state.delete(id);
      for (const lane of lanes.values()) {
        lane.waiting = [];
        lane.head = 0;
        lane.ready = false;
        retire(lane);
      }
      ring = [];
      ringHead = 0;
      queued = 0;
      return dropped;
    },
    idle() {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
