/** What the fetch stage is asked to do and what it answers: plain data, no classes. */
import type { FetchDefaults } from '../config/types.js';

export interface FetchRequest {
  url: string;
  headers?: Record<string, string>;
  /** Validators from the previous successful check, sent back verbatim. */
  etag?: string;
  lastModified?: string;
  options: FetchDefaults;
  /** Skip robots.txt (the caller logs the reason). */
  ignoreRobots?: boolean;
  /** Abandons the fetch (a check's time limit, or shutdown); it ends as a 'network' failure. */
  signal?: AbortSignal;
}

/** One redirect followed: the URL that answered and its 3xx status (the target is the next hop). */
export interface Redirect {
  url: string;
  status: number;
}

export interface FetchSuccess {
  ok: true;
  url: string;
  finalUrl: string;
  redirects: Redirect[];
  status: number;
  /** True on 304: the server confirmed the content is unchanged. */
  notModified: boolean;
  headers: Record<string, string>;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Decompressed bytes as received (empty on 304). */
  body: Buffer;
  attempts: number;
  elapsedMs: number;
}

export type FetchErrorCode =
  | 'network'
  | 'dns'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'bad-redirect'
  | 'robots'
  | 'http'
  | 'decode'
  | 'blocked-address'
  | 'bad-url';

export interface FetchFailure {
  ok: false;
  url: string;
  finalUrl?: string;
  redirects: Redirect[];
  status?: number;
  code: FetchErrorCode;
  /** One line a human can act on. */
  message: string;
  retryAfterMs?: number;
  attempts: number;
  elapsedMs: number;
}

export type FetchResult = FetchSuccess | FetchFailure;
