/**
 * Turning whatever went wrong (socket errors, undici errors, our own limits)
 * into one FetchErrorCode and one line a human can act on.
 */
import { BLOCKED_ADDRESS_CODE } from './address.js';
import type { FetchErrorCode } from './types.js';

/** A failure with its code already decided; thrown inside the stage, never out of it. */
export class FetchProblem extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    /** Worth another attempt (network trouble, timeouts, 5xx, 429). */
    readonly retryable = false,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FetchProblem';
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA']);
/** Temporary resolver trouble; a name that does not exist is not retried. */
const DNS_RETRYABLE = new Set(['EAI_AGAIN']);

const TIMEOUT_HINTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'could not connect in time (connectTimeoutMs)',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time (responseTimeoutMs)',
  UND_ERR_BODY_TIMEOUT: 'the body stalled (bodyTimeoutMs)',
  ETIMEDOUT: 'the connection timed out',
};

function errorCode(err: unknown): string | undefined {
  // undici and net sometimes wrap the socket error (AggregateError for
  // happy-eyeballs, `cause` for fetch-style errors): look one level down.
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
    const errors = (e as { errors?: unknown[] }).errors;
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : (e as { cause?: unknown }).cause;
  }
  const top = (err as { code?: unknown } | undefined)?.code;
  return typeof top === 'string' ? top : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Classify an error thrown while fetching `url`. */
export function classifyError(err: unknown, url: string): FetchProblem {
  if (err instanceof FetchProblem) return err;
  const code = errorCode(err);
  const detail = oneLine(err instanceof Error ? err.message : String(err));
  if (code === BLOCKED_ADDRESS_CODE) {
    return new FetchProblem('blocked-address', `blocked ${url}: ${detail}`);
  }
  if (code && DNS_CODES.has(code)) {
    return new FetchProblem(
      'dns',
      `DNS lookup failed for ${url} (${code}): ${detail}; check the host name or the resolver`,
      DNS_RETRYABLE.has(code),
    );
  }
  if (code && code in TIMEOUT_HINTS) {
    return new FetchProblem('timeout', `timeout fetching ${url}: ${TIMEOUT_HINTS[code]}`, true);
  }
  // zlib errors are Z_*; brotli's are ERR__ERROR_FORMAT_* and similar.
  if (code && /^(Z_|ERR__ERROR)/.test(code)) {
    return new FetchProblem('decode', `could not decompress the body of ${url} (${code}): ${detail}`);
  }
  const label = code ? `${code}: ` : '';
  return new FetchProblem(
    'network',
    `network error fetching ${url}: ${label}${detail}; the server may be down, retry later`,
    true,
  );
}
