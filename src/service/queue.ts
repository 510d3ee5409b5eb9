/**
 * The work queue between schedule ticks and checks: FIFO, global concurrency, and one entry
 * per source id at most (an id that is already queued or running is refused), so a source is
 * never checked twice at once however its ticks pile up. p-limit would hold closures and
 * cannot say which ids are waiting, and stop() must drop waiting work without leaving
 * promises that never settle, so the queue is kept here as ids only.
 */

export interface WorkQueue {
  /** Queues `id`; false (and nothing happens) if it is already queued/running or the queue is closed. */
  push(id: string): boolean;
  has(id: string): boolean;
  readonly queued: number;
  readonly running: number;
  runningIds(): string[];
  setConcurrency(concurrency: number): void;
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

function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`work queue concurrency must be a positive integer, got ${concurrency}`);
  }
  return concurrency;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  let concurrency = checkConcurrency(options.concurrency);
  let waiting: string[] = [];
  let head = 0;
  const state = new Map<string, 'queued' | 'running'>();
  let running = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  function compact(): void {
    // Reuse the array instead of shifting: shift() on a 10,000-entry array is O(n) each time.
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
  }

  function finish(id: string): void {
    state.delete(id);
    running--;
    if (running === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    pump();
  }

  function pump(): void {
    while (!closed && running < concurrency && head < waiting.length) {
      const id = waiting[head];
      waiting[head] = '';
      head++;
      state.set(id, 'running');
      running++;
      let started: Promise<void>;
      try {
        started = options.run(id);
      } catch (error) {
        started = Promise.reject(error);
      }
      started.then(
        () => finish(id),
        () => finish(id),
      );
    }
    compact();
  }

  return {
    push(id) {
      if (closed || state.has(id)) return false;
      state.set(id, 'queued');
      waiting.push(id);
      pump();
      return true;
    },
    has: (id) => state.has(id),
    get queued() {
      return waiting.length - head;
    },
    get running() {
      return running;
    },
    runningIds() {
      const ids: string[] = [];
      for (const [id, s] of state) if (s === 'running') ids.push(id);
      return ids;
    },
    setConcurrency(next) {
      concurrency = checkConcurrency(next);
      pump();
    },
    close() {
      const dropped = waiting.length - head;
      closed = true;
      for (let i = head; i < waiting.length; i++) state.delete(waiting[i]);
      waiting = [];
      head = 0;
      return dropped;
    },
    idle() {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
