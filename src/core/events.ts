/**
 * Which events a check raises, from the source's state before it and the
 * entry about to be appended. Pure, so the same rule holds at check time and
 * when alerts are re-derived after a crash.
 */
import type { CheckInput } from '../store/types.js';
import { isGoneSignal, type SourceState } from './state.js';

export type CheckEvent = 'new' | 'changed' | 'removed' | 'restored' | 'failing' | 'recovered';

export interface CheckPolicy {
  /**
   * 404/410/soft-404 answers, with no success in between, before a removal is reported.
   * Other failures (5xx, timeouts, bot walls) cannot tell and neither count nor reset the run.
   */
  removalConfirmations: number;
  /** …spanning at least this long, so one bad deploy is not a removal. */
  removalMinMs: number;
  /** Consecutive failures of any kind before a "failing" alert. */
  failingAfter: number;
}

export const DEFAULT_POLICY: Readonly<CheckPolicy> = Object.freeze({
  removalConfirmations: 3,
  removalMinMs: 60 * 60_000,
  failingAfter: 5,
});

export function decideEvents(state: SourceState, input: CheckInput, policy: CheckPolicy, now: number): CheckEvent[] {
  const events: CheckEvent[] = [];
  if (input.outcome === 'failed') {
    const gone = isGoneSignal(input);
    if (gone && state.current && !state.removed) {
      const streak = state.goneStreak + 1;
      const since = Date.parse(state.goneStreak === 0 ? input.time : (state.goneSince ?? input.time));
      if (streak >= policy.removalConfirmations && now - since >= policy.removalMinMs) events.push('removed');
    }
    // Once a removal is reported, errors from the same address are no news: "restored" will follow if it comes back.
    if (!gone && !state.failing && !state.removed && state.failStreak + 1 >= policy.failingAfter) events.push('failing');
    return events;
  }
  if (state.removed) events.push('restored');
  if (state.failing) events.push('recovered');
  if (input.outcome === 'new') events.push('new');
  if (input.outcome === 'changed') events.push('changed');
  return events;
}
