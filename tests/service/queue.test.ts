import { describe, expect, it } from 'vitest';
import { createWorkQueue } from '../../src/service/queue.js';

/** A queue whose runs finish only when the test says so. */
function controlled(concurrency: number) {
  const started: string[] = [];
  const pending = new Map<string, () => void>();
  const queue = createWorkQueue({
    concurrency,
    run: (id) => {
      started.push(id);
      return new Promise<void>((resolve) => pending.set(id, resolve));
    },
  });
  const finish = async (id: string) => {
    const resolve = pending.get(id);
    if (!resolve) throw new Error(`${id} is not running`);
    pending.delete(id);
    resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { queue, started, pending, finish };
}

describe('work queue', () => {
  it('runs at most `concurrency` at once, first in first out, and refuses an id already queued or running', async () => {
    const { queue, started, finish } = controlled(2);
    expect(['a', 'b', 'c', 'd'].map((id) => queue.push(id))).toEqual([true, true, true, true]);
    expect(started).toEqual(['a', 'b']);
    expect(queue.push('a')).toBe(false);
    expect(queue.push('c')).toBe(false);
    expect({ queued: queue.queued, running: queue.running }).toEqual({ queued: 2, running: 2 });
    await finish('a');
    expect(started).toEqual(['a', 'b', 'c']);
    expect(queue.push('a')).toBe(true);
    await finish('b');
    await finish('c');
    expect(started).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('caps each host and serves hosts round-robin, so one busy host cannot take every slot', async () => {
    const { queue, started, finish } = controlled(4);
    for (let i = 0; i < 50; i++) queue.push(`gov-${i}`, 'www.gov.uk', 1);
    queue.push('doj-1', 'www.justice.gov', 2);
    queue.push('doj-2', 'www.justice.gov', 2);
    queue.push('doj-3', 'www.justice.gov', 2);
    queue.push('ca-1', 'www.publicsafety.gc.ca', 2);
    expect(started).toEqual(['gov-0', 'doj-1', 'doj-2', 'ca-1']);
    await finish('doj-1');
    expect(started.at(-1)).toBe('doj-3');
    await finish('gov-0');
    expect(started.at(-1)).toBe('gov-1');
    expect(queue.runningIds().filter((id) => id.startsWith('gov-'))).toEqual(['gov-1']);
    expect(queue.queued).toBe(48);
  });

  it('close() drops waiting ids, lets running ones finish, and idle() resolves when they have', async () => {
    const { queue, started, finish } = controlled(1);
    queue.push('x');
    queue.push('y');
    expect(queue.close()).toBe(1);
    expect(queue.push('z')).toBe(false);
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    await finish('x');
    await waiting;
    expect(started).toEqual(['x']);
    expect({ queued: queue.queued, running: queue.running }).toEqual({ queued: 0, running: 0 });
  });

  it('a run that throws synchronously or rejects frees its slot', async () => {
    const ran: string[] = [];
    const queue = createWorkQueue({
      concurrency: 1,
      run: (id) => {
        ran.push(id);
        if (id === 'sync') throw new Error('boom');
        return Promise.reject(new Error('async boom'));
      },
    });
    queue.push('sync');
    queue.push('async');
    queue.push('after');
    await queue.idle();
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['sync', 'async', 'after']);
    expect(() => createWorkQueue({ concurrency: 0, run: async () => {} })).toThrow(/positive integer, got 0/);
  });
});
