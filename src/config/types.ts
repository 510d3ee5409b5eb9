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

/** When a source's failures become "removed" or "failing" reports (redline issue 6). */
export interface PolicyConfig {
  /** Consecutive 404/410/soft-404 checks before "removed" is reported. */
  removalConfirmations: number;
  /** The run of such checks must span at least this long. */
  removalMinMs: number;
  /** Consecutive failed checks before a "failing" alert. */
  failingAfter: number;
}

export type SignificanceLevel = 'none' | 'low' | 'medium' | 'high';

/** One significance rule's settings; every other key is a parameter of the rule (camelCase). */
export interface RuleConfig {
  enabled?: boolean;
  /** Level given to this rule's findings, replacing the rule's own. */
  level?: SignificanceLevel;
  [param: string]: unknown;
}

/** Significance thresholds (redline issue 5); the shape the analysis stage takes as thresholds. */
export interface SignificanceConfig {
  /** Lowest level that alerts. */
  alertAt?: SignificanceLevel;
  /** By rule name (see the analysis stage's listRules()). */
  rules?: Record<string, RuleConfig>;
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
  /** Removal and failure policy, merged: the source's own keys, then `defaults`, then built-in. */
  policy: PolicyConfig;
  /**
   * Merged in this order, later winning per key and per rule setting: top-level `significance`,
   * then `tag_significance` of each of the source's tags in the order listed, then the source's own.
   */
  significance: SignificanceConfig;
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
  /** Top-level `significance` as written (unmerged); sources carry the merged result. */
  significance: SignificanceConfig;
  /** `tag_significance` as written, by tag (unmerged). */
  tagSignificance: Record<string, SignificanceConfig>;
  /** Absolute path of the key that signs the archive's log heads after each cycle. */
  signingKey?: string;
}
