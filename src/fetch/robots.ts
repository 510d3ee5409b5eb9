/**
 * robots.txt per origin, fetched once and cached, interpreted per RFC 9309:
 * 2xx → obey the rules; 4xx → everything allowed; 5xx or unreachable →
 * everything disallowed for now, asked again after a short while.
 */
import robotsParserModule from 'robots-parser';
import type { FetchFailure, FetchResult } from './types.js';

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getMatchingLineNumber(url: string, ua?: string): number;
  getCrawlDelay(ua?: string): number | undefined;
}
// The package's typings declare the default export in a way NodeNext resolves
// to the module object; at runtime the CommonJS export is the function itself.
const robotsParser = robotsParserModule as unknown as (url: string, contents: string) => Robot;

export type RobotsVerdict = { allowed: true } | { allowed: false; failure: FetchFailure };

interface Entry {
  robots?: Robot;
  /** Raw text, kept to quote the rule that blocked a URL. */
  lines: string[];
  robotsUrl: string;
  status?: number;
  /** Set while robots.txt could not be read: every URL of the origin fails with this. */
  unusable?: FetchFailure;
  fetchedAt: number;
  expiresAt: number;
}

export type FetchRobots = (robotsUrl: string) => Promise<FetchResult>;

export interface RobotsOptions {
  /** How long a fetched robots.txt (or a 4xx) is trusted. */
  ttlMs: number;
  /** How soon to ask again after a 5xx or an unreachable robots.txt. */
  retryMs: number;
  /** RFC 9309 §2.4: a cached copy may be used this long when a refresh fails. */
  staleMs: number;
  now: () => number;
  maxEntries?: number;
}

/**
 * The token robots.txt groups are matched against: the product name of our
 * User-Agent ("Redline/0.2 (+https://…)" → "redline"), also when it hides
 * behind "Mozilla/5.0 (compatible; Redline/0.2; …)".
 */
export function productToken(userAgent: string): string {
  const compatible = /compatible;\s*([A-Za-z0-9_-]+)/i.exec(userAgent);
  const token = compatible?.[1] ?? /^[A-Za-z0-9_-]+/.exec(userAgent.trim())?.[0] ?? '*';
  return token.toLowerCase();
}

export class RobotsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(private readonly opts: RobotsOptions) {}

  /**
   * May `url` be fetched by `userAgent`? `fetchRobots` fetches robots.txt
   * (redirects followed, no robots check of its own) when the cache has no
   * fresh copy; concurrent checks of one origin share a single fetch.
   */
  async check(url: URL, userAgent: string, fetchRobots: FetchRobots): Promise<RobotsVerdict> {
    const entry = await this.entryFor(url.origin, fetchRobots);
    if (entry.unusable) return { allowed: false, failure: entry.unusable };
    if (!entry.robots) return { allowed: true };
    const token = productToken(userAgent);
    if (entry.robots.isAllowed(url.href, token) !== false) return { allowed: true };
    const line = entry.robots.getMatchingLineNumber(url.href, token);
    const rule = line > 0 ? entry.lines[line - 1]?.trim().slice(0, 200) : undefined;
    return {
      allowed: false,
      failure: {
        ok: false,
        url: url.href,
        redirects: [],
        code: 'robots',
        message:
          `robots.txt disallows ${url.href} for "${token}"` +
          (rule ? ` (${entry.robotsUrl} line ${line}: "${rule}")` : '') +
          '; ask the site owner, or set ignoreRobots with a reason for this source',
        attempts: 0,
        elapsedMs: 0,
      },
    };
  }

  /** Crawl-delay for our product token in ms, if this origin's robots.txt sets one. */
  crawlDelayMs(origin: string, userAgent: string): number | undefined {
    const seconds = this.entries.get(origin)?.robots?.getCrawlDelay(productToken(userAgent));
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
  }

  private async entryFor(origin: string, fetchRobots: FetchRobots): Promise<Entry> {
    const now = this.opts.now();
    const cached = this.entries.get(origin);
    if (cached && cached.expiresAt > now) return cached;
    let job = this.pending.get(origin);
    if (!job) {
      job = this.load(origin, cached, fetchRobots).finally(() => this.pending.delete(origin));
      this.pending.set(origin, job);
    }
    return job;
  }

  private async load(origin: string, previous: Entry | undefined, fetchRobots: FetchRobots): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    const result = await fetchRobots(robotsUrl);
    const now = this.opts.now();
    let entry: Entry;
    if (result.ok && result.status >= 200 && result.status < 300) {
      // RFC 9309 robots.txt is UTF-8; a leading BOM would hide the first "User-agent".
      const text = result.body.toString('utf8').replace(/^\uFEFF/, '');
      // Rules apply to the origin asked about, even when robots.txt was redirected elsewhere.
      entry = { robots: robotsParser(robotsUrl, text), lines: text.split(/\r\n|\r|\n/), robotsUrl, status: result.status, fetchedAt: now, expiresAt: now + this.opts.ttlMs };
    } else if (!result.ok && result.code === 'http' && result.status !== undefined && result.status >= 400 && result.status < 500 && result.status !== 429) {
      entry = { lines: [], robotsUrl, status: result.status, fetchedAt: now, expiresAt: now + this.opts.ttlMs };
    } else if (previous?.robots && now - previous.fetchedAt < this.opts.staleMs) {
      entry = { ...previous, expiresAt: now + this.opts.retryMs };
    } else {
      entry = { lines: [], robotsUrl, fetchedAt: now, expiresAt: now + this.opts.retryMs, unusable: unreachable(robotsUrl, result, this.opts.retryMs) };
    }
    this.remember(origin, entry);
    return entry;
  }

  private remember(origin: string, entry: Entry): void {
    const max = this.opts.maxEntries ?? 10_000;
    if (this.entries.size >= max) {
      const now = this.opts.now();
      for (const [key, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(key);
      // Still full: drop the oldest insertion (Map keeps insertion order).
      if (this.entries.size >= max) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.delete(origin);
    this.entries.set(origin, entry);
  }
}

/**
 * The failure reported for a page whose robots.txt could not be read. Network,
 * DNS and address problems keep their own code (the page would fail the same
 * way); a server error becomes 'robots' with a time to try again.
 */
function unreachable(robotsUrl: string, result: FetchResult, retryMs: number): FetchFailure {
  const base = { ok: false as const, url: robotsUrl, redirects: result.redirects, attempts: result.attempts, elapsedMs: result.elapsedMs, retryAfterMs: retryMs };
  if (!result.ok && result.code !== 'http') {
    return { ...base, code: result.code, status: result.status, message: `${result.message} (while reading robots.txt)` };
  }
  return {
    ...base,
    code: 'robots',
    status: result.status,
    message: `${robotsUrl} answered HTTP ${result.status ?? '?'}; RFC 9309 says to treat the site as disallowed until robots.txt can be read, retry in ${Math.round(retryMs / 1000)} s`,
  };
}
