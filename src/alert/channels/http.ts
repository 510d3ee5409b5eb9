/** One HTTP request to a receiver, with its answer turned into success or a DeliveryError. */
import { request } from 'undici';
import { DeliveryError } from '../errors.js';
import { clip, oneLine } from '../text.js';

export interface SendOptions {
  method?: 'POST' | 'PUT';
  headers?: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** How to name the receiver in errors; webhook URLs of chat services are secrets, so never the full URL. */
  label: string;
  /** Services that put the wait in the JSON body (Matrix retry_after_ms) read it here. */
  retryAfterFromBody?: (body: string) => number | undefined;
}

export interface SendResult {
  status: number;
  body: string;
}

const USER_AGENT = 'Redline-alerts/0.1 (+https://github.com/redline)';
const MAX_ERROR_BODY = 4096;

/** URL without path or query: chat webhook URLs carry their token in the path. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readSome(body: AsyncIterable<Uint8Array> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= MAX_ERROR_BODY) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8');
}

export async function send(url: string, opts: SendOptions): Promise<SendResult> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([opts.signal, timeout]);
  let res;
  try {
    res = await request(url, {
      method: opts.method ?? 'POST',
      headers: { 'user-agent': USER_AGENT, ...opts.headers },
      body: opts.body,
      signal,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = timeout.aborted ? `no answer within ${opts.timeoutMs} ms` : opts.signal.aborted ? 'cancelled (shutting down)' : `${e.code ?? e.name}: ${e.message}`;
    throw new DeliveryError(`${opts.label}: could not deliver (${oneLine(why)})`, { retryable: true, cause: err });
  }
  let text: string;
  try {
    text = await readSome(res.body);
  } catch (err) {
    // The status line already arrived; a body cut short does not change the verdict.
    text = '';
    void err;
  }
  const status = res.statusCode;
  if (status >= 200 && status < 300) return { status, body: text };
  const detail = clip(oneLine(text), 200);
  const said = `${opts.label} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status >= 300 && status < 400) {
    const location = res.headers.location;
    throw new DeliveryError(`${said}; it redirects${location ? ` to ${redactUrl(String(location))}` : ''}: put the final URL in the channel settings`, { retryable: false });
  }
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    let fromBody: number | undefined;
    try {
      fromBody = opts.retryAfterFromBody?.(text);
    } catch {
      fromBody = undefined;
    }
    throw new DeliveryError(said, { retryable: true, retryAfterMs: fromBody ?? parseRetryAfter(res.headers['retry-after']) });
  }
  throw new DeliveryError(`${said} (the receiver refused it; fix the channel settings, then run \`redline alerts --retry\`)`, { retryable: false });
}
