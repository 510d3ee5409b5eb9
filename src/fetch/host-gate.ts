/**
 * Politeness per host: at most N requests in flight and at least D ms between
 * request starts. Each host has its own queue, so a slow host never holds up
 * another (no global lock).
 */
import { performance } from 'node:perf_hooks';

export type Release = () => void;

interface Waiter {
  concurrency: number;
  delayMs: number;
  resolve: (release: Release) => void;
  reject: (err: Error) => void;
}

interface HostState {
  active: number;
  /** performance.now() of the last start; -Infinity before the first. */
  lastStart: number;
  lastDelayMs: number;
  queue: Waiter[];
  timer?: NodeJS.Timeout;
}

/** Idle hosts are forgotten once this many are tracked (their delay has long passed). */
const SWEEP_AT = 1000;

export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  private closed = false;

  /**
   * Wait for a slot on `host`. Call the returned function exactly once when
   * the request (including its body) is finished.
   */
  acquire(host: string, concurrency: number, delayMs: number): Promise<Release> {
    if (this.closed) return Promise.reject(new Error('the fetcher was closed'));
    if (this.hosts.size >= SWEEP_AT) this.sweep();
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, lastStart: -Infinity, lastDelayMs: 0, queue: [] };
      this.hosts.set(host, state);
    }
    const s = state;
    return new Promise<Release>((resolve, reject) => {
      s.queue.push({ concurrency: Math.max(1, Math.floor(concurrency)), delayMs: Math.max(0, delayMs), resolve, reject });
      this.pump(s);
    });
  }

  /** Requests now in flight to `host` (for tests and metrics). */
  active(host: string): number {
    return this.hosts.get(host)?.active ?? 0;
  }

  close(): void {
    this.closed = true;
    for (const state of this.hosts.values()) {
      clearTimeout(state.timer);
      for (const w of state.queue.splice(0)) w.reject(new Error('the fetcher was closed'));
    }
    this.hosts.clear();
  }

  private pump(state: HostState): void {
    if (state.timer) return;
    while (state.queue.length > 0) {
      const head = state.queue[0]!;
      if (state.active >= head.concurrency) return;
      const wait = state.lastStart + head.delayMs - performance.now();
      if (wait > 0) {
        state.timer = setTimeout(() => {
          state.timer = undefined;
          this.pump(state);
        }, Math.ceil(wait));
        return;
      }
      state.queue.shift();
      state.active++;
      state.lastStart = performance.now();
      state.lastDelayMs = head.delayMs;
      let released = false;
      head.resolve(() => {
        if (released) return;
        released = true;
        state.active--;
        this.pump(state);
      });
    }
  }

  private sweep(): void {
    const now = performance.now();
    for (const [host, s] of this.hosts) {
      if (s.active === 0 && s.queue.length === 0 && now - s.lastStart >= s.lastDelayMs) this.hosts.delete(host);
    }
  }
}
