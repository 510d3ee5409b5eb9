/** The one error a channel may throw: tells the outbox whether trying again can help. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  /** The receiver asked us to wait at least this long (HTTP Retry-After, Matrix retry_after_ms). */
  readonly retryAfterMs?: number;

  constructor(reason: string, opts: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(reason, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DeliveryError';
    this.retryable = opts.retryable;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * Any throw from a channel becomes a DeliveryError. Unknown errors count as
 * retryable: a bug or an odd network failure should not silently drop an alert,
 * and max attempts still bounds the retries.
 */
export function toDeliveryError(err: unknown, where: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError(`${where}: ${message}`, { retryable: true, cause: err });
}
