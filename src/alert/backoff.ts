/** Retry timing: exponential backoff with full jitter. */

export interface BackoffPolicy {
  /** Ceiling of the first retry delay. */
  baseMs: number;
  /** No delay ever exceeds this. */
  capMs: number;
  /** Attempts (including the first) before a delivery goes to the dead-letter list. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 6 * 60 * 60_000, maxAttempts: 10 };

/**
 * Delay before the attempt after `attemptsMade`. Full jitter (uniform in [0, ceiling))
 * spreads a burst of failures (a receiver down for an hour) so the retries do not all
 * land together when it comes back.
 */
export function backoffDelay(attemptsMade: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 60));
  return Math.floor(random() * ceiling);
}

export function validateBackoff(policy: BackoffPolicy): void {
  const { baseMs, capMs, maxAttempts } = policy;
  if (!(Number.isFinite(baseMs) && baseMs >= 0)) throw new RangeError(`backoff.baseMs must be a number ≥ 0, got ${baseMs}`);
  if (!(Number.isFinite(capMs) && capMs >= baseMs)) throw new RangeError(`backoff.capMs must be ≥ baseMs (${baseMs}), got ${capMs}`);
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) throw new RangeError(`backoff.maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
}
