/**
 * The fetch stage: follows redirects by hand, checks robots.txt and the
 * address guard at every hop, retries what is worth retrying, and always
 * answers with a FetchResult (it does not throw for network or HTTP trouble).
 */
import { setMaxListeners } from 'node:events';
import { blockedReason, defaultLookup, type AddressPolicy, type LookupFunction } from './address.js';
import { FetchProblem, classifyError } from './errors.js';
import { HopClient, type HopResponse } from './hop.js';
import { HostGate } from './host-gate.js';
import { backoffMs, parseRetryAfter, sleep } from './retry.js';
import { RobotsCache } from './robots.js';
import type { FetchFailure, FetchRequest, FetchResult, Redirect } from './types.js';
import { linkSignals } from './signals.js';

/** Structured logger; pino's `logger.info(obj, msg)` fits. */
export interface FetchLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface FetcherOptions {
  /** `dns.lookup`-compatible; tests inject one to fake DNS failures or map names to 127.0.0.1. */
  lookup?: LookupFunction;
  /**
   * Whether loopback, private, link-local, unique-local and metadata addresses
   * may be fetched. Pass true ONLY for the owner's own watch list (redline.yaml);
   * leave false (the default) for any URL that came from an untrusted interface
   * (web UI, API, submitted links, links found in fetched pages).
   * `Fetcher.forWatchList()` / `Fetcher.forUntrustedUrls()` say it by name.
   */
  allowPrivate?: boolean;
  /**
   * Used when allowPrivate is false: the reason an address is refused, or
   * undefined to allow it. Default `blockedReason` (every non-public range).
   */
  addressPolicy?: AddressPolicy;
  /** Clock for elapsedMs, robots.txt expiry and Retry-After dates (ms since epoch). */
  now?: () => number;
  logger?: FetchLogger;
  /** How long a robots.txt is trusted (default 1 h). */
  robotsTtlMs?: number;
  /** How soon to re-ask after a robots.txt 5xx/unreachable (default 10 min). */
  robotsRetryMs?: number;
  /** First retry waits about this long, doubling each time (default 1 s). */
  retryBaseMs?: number;
  /** Longest wait before a retry; a larger Retry-After fails with retryAfterMs instead (default 5 min). */
  maxRetryWaitMs?: number;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
}

export const MAX_REDIRECTS = 10;
/** RFC 9309 §2.5: parse at least the first 500 KiB of robots.txt. */
const ROBOTS_MAX_BYTES = 512 * 1024;
/** Crawl-delay is obeyed up to this; larger values would stall monitoring of that site. */
const MAX_CRAWL_DELAY_MS = 60_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Never sent on to another origin after a redirect. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
/** Managed by the HTTP client; undici rejects or mishandles them when set by hand. */
const RESERVED_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'expect', 'te', 'trailer']);
const ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5';

interface Progress {
  attempts: number;
  redirects: Redirect[];
  /** Retry-After the server gave on the last answer, if any. */
  retryAfterMs?: number;
}

interface Mode {
  /** The fetcher's close() and the request's own signal, together. */
  signal: AbortSignal;
  robots: boolean;
  truncate: boolean;
  maxBytes: number;
}

export class Fetcher {
  private readonly now: () => number;
  private readonly gate = new HostGate();
  private readonly hops: HopClient;
  private readonly robots: RobotsCache;
  private readonly closing = new AbortController();

  /** A fetcher for the owner's watch list: private and loopback targets allowed. */
  static forWatchList(options: Omit<FetcherOptions, 'allowPrivate'> = {}): Fetcher {
    return new Fetcher({ ...options, allowPrivate: true });
  }

  /** A fetcher for URLs from untrusted interfaces: private targets refused. */
  static forUntrustedUrls(options: Omit<FetcherOptions, 'allowPrivate'> = {}): Fetcher {
    return new Fetcher({ ...options, allowPrivate: false });
  }

  constructor(private readonly opts: FetcherOptions = {}) {
    // Every request in flight listens on this signal until it ends; 16 parallel checks are
    // not a leak, and Node's default limit of 10 would print a warning on every `redline check`.
    setMaxListeners(0, this.closing.signal);
    this.now = opts.now ?? Date.now;
    const policy = opts.allowPrivate ? undefined : (opts.addressPolicy ?? blockedReason);
    this.hops = new HopClient(opts.lookup ?? defaultLookup, policy, this.gate);
    this.robots = new RobotsCache({
      ttlMs: opts.robotsTtlMs ?? 60 * 60_000,
      retryMs: opts.robotsRetryMs ?? 10 * 60_000,
      staleMs: 24 * 60 * 60_000,
      now: this.now,
    });
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const linked = req.signal ? linkSignals([this.closing.signal, req.signal]) : undefined;
    const mode = { signal: linked?.signal ?? this.closing.signal, robots: !req.ignoreRobots, truncate: false, maxBytes: req.options.maxBytes };
    try {
      return await this.follow(req, mode);
    } finally {
      linked?.unlink();
    }
  }

  /** Stops queued and in-flight fetches (they end as 'network' failures) and closes connections. */
  async close(): Promise<void> {
    this.closing.abort();
    this.gate.close();
    await this.hops.close();
  }

  private async follow(req: FetchRequest, mode: Mode): Promise<FetchResult> {
    const started = this.now();
    const progress: Progress = { attempts: 0, redirects: [] };
    let url: URL | undefined;
    const fail = (problem: FetchProblem): FetchFailure => ({
      ok: false,
      url: req.url,
      finalUrl: url?.href,
      redirects: progress.redirects,
      status: problem.status,
      code: problem.code,
      message: problem.message,
      retryAfterMs: problem.retryAfterMs ?? progress.retryAfterMs,
      attempts: progress.attempts,
      elapsedMs: this.now() - started,
    });
    try {
      url = parseStart(req.url);
      const firstOrigin = url.origin;
      const visited = [url.href];
      for (;;) {
        if (mode.signal.aborted) throw new FetchProblem('network', `not fetching ${url.href}: ${this.closing.signal.aborted ? 'the fetcher was closed' : 'the check was cancelled'}`);
        let delayMs = req.options.perHostDelayMs;
        if (mode.robots) {
          const verdict = await this.robots.check(url, userAgentOf(req), (robotsUrl) => this.fetchRobots(robotsUrl, req));
          if (!verdict.allowed) {
            const f = verdict.failure;
            return fail(new FetchProblem(f.code, f.message, false, f.status, f.retryAfterMs));
          }
          const crawlDelay = this.robots.crawlDelayMs(url.origin, userAgentOf(req));
          if (crawlDelay !== undefined) delayMs = Math.max(delayMs, Math.min(crawlDelay, MAX_CRAWL_DELAY_MS));
        }
        const headers = this.requestHeaders(req, url.origin !== firstOrigin);
        const res = await this.sendWithRetries(url, headers, req, mode, delayMs, progress);
        if (!REDIRECT_STATUSES.has(res.status)) return this.conclude(req, url, res, progress, started);
        const next = redirectTarget(url, res);
        progress.redirects.push({ url: url.href, status: res.status });
        if (visited.includes(next.href)) {
          throw new FetchProblem('too-many-redirects', `redirect loop: ${[...visited, next.href].join(' → ')}`);
        }
        if (progress.redirects.length > MAX_REDIRECTS) {
          throw new FetchProblem('too-many-redirects', `more than ${MAX_REDIRECTS} redirects starting at ${req.url} (last: ${next.href})`);
        }
        visited.push(next.href);
        url = next;
      }
    } catch (err) {
      return fail(classifyError(err, url?.href ?? req.url));
    }
  }

  private conclude(req: FetchRequest, url: URL, res: HopResponse, progress: Progress, started: number): FetchResult {
    if (res.status === 304 || (res.status >= 200 && res.status < 300)) {
      const notModified = res.status === 304;
      return {
        ok: true,
        url: req.url,
        finalUrl: url.href,
        redirects: progress.redirects,
        status: res.status,
        notModified,
        headers: res.headers,
        contentType: res.headers['content-type'],
        // A 304 need not repeat the validators; the ones we sent stay valid.
        etag: res.headers['etag'] ?? (notModified ? req.etag : undefined),
        lastModified: res.headers['last-modified'] ?? (notModified ? req.lastModified : undefined),
        body: notModified ? Buffer.alloc(0) : res.body,
        attempts: progress.attempts,
        elapsedMs: this.now() - started,
      };
    }
    throw new FetchProblem('http', httpMessage(res.status, url.href, progress.attempts), false, res.status, progress.retryAfterMs);
  }

  private async sendWithRetries(
    url: URL,
    headers: Record<string, string>,
    req: FetchRequest,
    mode: Mode,
    delayMs: number,
    progress: Progress,
  ): Promise<HopResponse> {
    const retries = Math.max(0, Math.floor(req.options.retries));
    const maxWait = this.opts.maxRetryWaitMs ?? 5 * 60_000;
    for (let retry = 0; ; retry++) {
      progress.attempts++;
      progress.retryAfterMs = undefined;
      let res: HopResponse | undefined;
      let problem: FetchProblem | undefined;
      try {
        res = await this.hops.send(url, headers, { options: req.options, delayMs, maxBytes: mode.maxBytes, truncate: mode.truncate, signal: mode.signal });
      } catch (err) {
        problem = classifyError(err, url.href);
      }
      const retryable = problem ? problem.retryable : res!.status >= 500 || res!.status === 429;
      if (!retryable) {
        if (problem) throw problem;
        return res!;
      }
      const retryAfter = res ? parseRetryAfter(res.headers['retry-after'], this.now()) : undefined;
      progress.retryAfterMs = retryAfter;
      if (retryAfter !== undefined && retryAfter > maxWait) {
        throw new FetchProblem(
          'http',
          `HTTP ${res!.status} from ${url.href} with Retry-After ${Math.round(retryAfter / 1000)} s, longer than the ${Math.round(maxWait / 1000)} s Redline waits in place; schedule the next check after it`,
          false,
          res!.status,
          retryAfter,
        );
      }
      if (retry >= retries || mode.signal.aborted) {
        if (problem) throw problem;
        return res!;
      }
      const wait = retryAfter ?? backoffMs(retry + 1, this.opts.retryBaseMs ?? 1000, maxWait, this.opts.random ?? Math.random);
      this.opts.logger?.warn(
        { url: url.href, attempt: progress.attempts, status: res?.status, code: problem?.code, waitMs: wait },
        `fetch of ${url.href} failed (${problem ? problem.code : `HTTP ${res!.status}`}), retrying in ${wait} ms`,
      );
      await sleep(wait, mode.signal);
    }
  }

  private fetchRobots(robotsUrl: string, req: FetchRequest): Promise<FetchResult> {
    const options = { ...req.options, maxBytes: ROBOTS_MAX_BYTES };
    const robotsReq: FetchRequest = { url: robotsUrl, options, headers: { 'user-agent': userAgentOf(req) } };
    return this.follow(robotsReq, { signal: this.closing.signal, robots: false, truncate: true, maxBytes: ROBOTS_MAX_BYTES }).then((result) => {
      this.opts.logger?.info(
        { url: robotsUrl, status: result.status, ok: result.ok },
        `robots.txt ${robotsUrl}: ${result.ok ? `HTTP ${result.status}` : result.message}`,
      );
      return result;
    });
  }

  private requestHeaders(req: FetchRequest, crossOrigin: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': req.options.userAgent,
      accept: ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    for (const [rawName, value] of Object.entries(req.headers ?? {})) {
      const name = rawName.toLowerCase();
      if (RESERVED_HEADERS.has(name) || (crossOrigin && CREDENTIAL_HEADERS.has(name))) continue;
      if (/[\r\n\0]/.test(value) || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
        this.opts.logger?.warn({ url: req.url, header: rawName }, `header ${JSON.stringify(rawName)} for ${req.url} is malformed and was not sent`);
        continue;
      }
      headers[name] = value;
    }
    // Validators go back exactly as the server gave them: servers such as nginx
    // answer 304 only for the exact Last-Modified string, never for our own clock.
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    return headers;
  }
}

function userAgentOf(req: FetchRequest): string {
  const override = Object.entries(req.headers ?? {}).find(([name]) => name.toLowerCase() === 'user-agent');
  return override?.[1] ?? req.options.userAgent;
}

function parseStart(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchProblem('bad-url', `not a valid URL: ${JSON.stringify(raw.slice(0, 200))}; check the source's url`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchProblem('bad-url', `cannot fetch ${url.href}: only http and https URLs are fetched (got ${url.protocol})`);
  }
  return url;
}

function redirectTarget(from: URL, res: HopResponse): URL {
  const location = res.headers['location'];
  if (!location) {
    throw new FetchProblem('bad-redirect', `HTTP ${res.status} from ${from.href} has no Location header`, false, res.status);
  }
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new FetchProblem('bad-redirect', `HTTP ${res.status} from ${from.href} redirects to an invalid URL ${JSON.stringify(location.slice(0, 200))}`, false, res.status);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new FetchProblem('bad-redirect', `${from.href} redirects to ${next.href}; only http and https redirects are followed`, false, res.status);
  }
  return next;
}

function httpMessage(status: number, url: string, attempts: number): string {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (status === 404 || status === 410) {
    return `HTTP ${status} from ${url}: the page is gone or moved; removal is confirmed only by repeated checks`;
  }
  if (status === 401 || status === 403) return `HTTP ${status} from ${url}: access refused (blocked or needs credentials)`;
  if (status === 429) return `HTTP 429 from ${url}${tries}: rate limited; lower the check frequency for this host`;
  if (status >= 500) return `HTTP ${status} from ${url}${tries}: server error, retry later`;
  return `HTTP ${status} from ${url}`;
}
