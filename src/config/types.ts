/** The watch list as Redline uses it after loading and validation (redline.yaml). */

export type SourceKind = 'auto' | 'html' | 'pdf' | 'text';

export interface FetchDefaults {
  /** Cron expression (5 fields, or 6 with seconds). */
  schedule: string;
  /** Sent on every request; should carry a contact URL so site owners can reach the operator. */
  userAgent: string;
  connectTimeoutMs: number;
  /** Time allowed until response headers arrive. */
  responseTimeoutMs: number;
  /** Time allowed for the whole body once headers arrived. */
  bodyTimeoutMs: number;
  maxBytes: number;
  /** Per-host: at most this many requests in flight. */
  perHostConcurrency: number;
  /** Per-host: at least this many ms between request starts. */
  perHostDelayMs: number;
  retries: number;
}

export interface SourceConfig {
  id: string;
  url: string;
  kind: SourceKind;
  /** CSS selectors for the statement body; the first that matches wins. */
  select: string[];
  /** CSS selectors removed before extraction (cookie banners, share bars). */
  remove: string[];
  schedule: string;
  tags: string[];
  headers: Record<string, string>;
  /** robots.txt is obeyed unless this names the reason it is not. */
  ignoreRobots?: { reason: string };
  /** Overrides of the fetch defaults for this one source. */
  fetch: FetchDefaults;
}

export interface ChannelConfig {
  type: string;
  /** Routing: only alerts from these source ids / tags (empty = all). */
  sources: string[];
  tags: string[];
  /** Channel-specific settings (url, secret, smtp, path …), validated by the channel. */
  settings: Record<string, unknown>;
}

export interface RedlineConfig {
  /** Absolute path of the file this came from (for messages). */
  file: string;
  /** Absolute path of the archive directory. */
  archive: string;
  timezone?: string;
  defaults: FetchDefaults;
  watchTerms: string[];
  sources: SourceConfig[];
  alerts: ChannelConfig[];
}
