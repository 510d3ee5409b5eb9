import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkSignals } from '../../src/fetch/signals.js';

describe('linkSignals', () => {
  it('aborts when any source aborts, with that reason, and then lets go of the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals([a.signal, b.signal]);
    expect(linked.signal.aborted).toBe(false);
    b.abort(new Error('check timed out'));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('check timed out');
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort('closed');
    const linked = linkSignals([new AbortController().signal, a.signal]);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('closed');
  });

  it('unlink leaves no listener on a long-lived source, however many links it had', () => {
    const long = new AbortController();
    for (let i = 0; i < 1000; i++) linkSignals([long.signal, new AbortController().signal]).unlink();
    expect(getEventListeners(long.signal, 'abort')).toHaveLength(0);
    const last = linkSignals([long.signal]);
    last.unlink();
    long.abort();
    expect(last.signal.aborted).toBe(false);
  });
});
