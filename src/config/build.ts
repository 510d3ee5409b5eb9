/** From validated YAML data to RedlineConfig: defaults merged, ids derived, paths resolved. */

import os from 'node:os';
import path from 'node:path';
import { ALERT_ROUTING_KEYS, type RawConfig, type RawDefaults } from './schema.js';
import { mergeSignificance } from './significance.js';
import { deriveSourceId } from './source-id.js';
import type { ChannelConfig, FetchDefaults, PolicyConfig, RedlineConfig, SignificanceConfig, SourceConfig } from './types.js';

/** Used for any key neither the source nor `defaults` sets. */
export const DEFAULT_FETCH: Readonly<FetchDefaults> = Object.freeze({
  schedule: '*/30 * * * *',
  userAgent: 'Redline/0.1 (statement change tracker)',
  connectTimeoutMs: 10_000,
  responseTimeoutMs: 30_000,
  bodyTimeoutMs: 60_000,
  maxBytes: 20 * 1024 * 1024,
  perHostConcurrency: 2,
  perHostDelayMs: 1_000,
  retries: 2,
});

/** Used for any policy key neither the source nor `defaults` sets (redline issue 6). */
export const DEFAULT_POLICY: Readonly<PolicyConfig> = Object.freeze({
  removalConfirmations: 3,
  removalMinMs: 3_600_000,
  failingAfter: 5,
});

export const DEFAULT_ARCHIVE = './snapshots';

/**
 * More specific wins: this level's own key, then this level's `timeout` (for the three
 * timeouts), then whatever the level above resolved to.
 */
export function mergeFetch(base: FetchDefaults, o: RawDefaults): FetchDefaults {
  return {
    schedule: o.schedule ?? base.schedule,
    userAgent: o.user_agent ?? base.userAgent,
    connectTimeoutMs: o.connect_timeout ?? o.timeout ?? base.connectTimeoutMs,
    responseTimeoutMs: o.response_timeout ?? o.timeout ?? base.responseTimeoutMs,
    bodyTimeoutMs: o.body_timeout ?? o.timeout ?? base.bodyTimeoutMs,
    maxBytes: o.max_size ?? base.maxBytes,
    perHostConcurrency: o.per_host_concurrency ?? base.perHostConcurrency,
    perHostDelayMs: o.per_host_delay ?? base.perHostDelayMs,
    retries: o.retries ?? base.retries,
  };
}

export function mergePolicy(base: PolicyConfig, o: RawDefaults): PolicyConfig {
  return {
    removalConfirmations: o.removal_confirmations ?? base.removalConfirmations,
    removalMinMs: o.removal_min_duration ?? base.removalMinMs,
    failingAfter: o.failing_after ?? base.failingAfter,
  };
}

/** Relative to the watch list's folder (not the working directory), with ~ for the home folder. */
function resolvePath(p: string, file: string): string {
  const expanded = p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
  return path.resolve(path.dirname(path.resolve(file)), expanded);
}

export function buildConfig(raw: RawConfig, file: string, derive: (url: string) => string = deriveSourceId): RedlineConfig {
  const defaults = mergeFetch(DEFAULT_FETCH, raw.defaults ?? {});
  const policy = mergePolicy(DEFAULT_POLICY, raw.defaults ?? {});
  const significance = raw.significance ?? {};
  const tagSignificance: Record<string, SignificanceConfig> = raw.tag_significance ?? {};
  const sources: SourceConfig[] = (raw.sources ?? []).map((s) => {
    const fetch = mergeFetch(defaults, s);
    const tags = s.tags ?? [];
    const out: SourceConfig = {
      id: s.id ?? derive(s.url),
      url: s.url,
      kind: s.kind ?? 'auto',
      select: s.select ?? [],
      remove: s.remove ?? [],
      schedule: fetch.schedule,
      tags,
      headers: s.headers ?? {},
      fetch,
      policy: mergePolicy(policy, s),
      significance: mergeSignificance([
        significance,
        ...tags.map((t) => (Object.hasOwn(tagSignificance, t) ? tagSignificance[t] : undefined)),
        s.significance,
      ]),
    };
    if (s.ignore_robots !== undefined) out.ignoreRobots = { reason: s.ignore_robots };
    return out;
  });
  const alerts: ChannelConfig[] = (raw.alerts ?? []).map((a) => {
    const settings: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) {
      if (!(ALERT_ROUTING_KEYS as readonly string[]).includes(k)) settings[k] = v;
    }
    return { type: a.type, sources: a.sources ?? [], tags: a.tags ?? [], settings };
  });
  const config: RedlineConfig = {
    file: path.resolve(file),
    archive: resolvePath(raw.archive ?? DEFAULT_ARCHIVE, file),
    defaults,
    watchTerms: raw.watch_terms ?? [],
    sources,
    alerts,
    significance,
    tagSignificance,
  };
  if (raw.timezone !== undefined) config.timezone = raw.timezone;
  if (raw.signing_key !== undefined) config.signingKey = resolvePath(raw.signing_key, file);
  return config;
}


/**
 * Archives get copied and published as evidence; a signing key inside one would go with them,
 * and anyone holding it could re-sign a rewritten archive.
 */
export function signingKeyProblem(config: RedlineConfig): string | undefined {
  if (config.signingKey === undefined) return undefined;
  const rel = path.relative(config.archive, config.signingKey);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return `${config.signingKey} is inside the archive ${config.archive}, which gets copied and shared; keep the key in another folder`;
}
