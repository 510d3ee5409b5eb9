/** From validated YAML data to RedlineConfig: defaults merged, ids derived, cross-references checked. */

import os from 'node:os';
import path from 'node:path';
import type { ConfigPath } from './errors.js';
import { ALERT_ROUTING_KEYS, checkSourceId, checkUrl, type RawConfig, type RawFetch } from './schema.js';
import { deriveSourceId } from './source-id.js';
import { didYouMean } from './suggest.js';
import type { ChannelConfig, FetchDefaults, RedlineConfig, SourceConfig } from './types.js';

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

export const DEFAULT_ARCHIVE = './snapshots';

/**
 * More specific wins: this level's own key, then this level's `timeout` (for the three
 * timeouts), then whatever the level above resolved to.
 */
export function mergeFetch(base: FetchDefaults, o: RawFetch): FetchDefaults {
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

function resolveArchive(archive: string, file: string): string {
  const expanded = archive === '~' || archive.startsWith('~/') ? path.join(os.homedir(), archive.slice(1)) : archive;
  return path.resolve(path.dirname(path.resolve(file)), expanded);
}

export function buildConfig(raw: RawConfig, file: string): RedlineConfig {
  const defaults = mergeFetch(DEFAULT_FETCH, raw.defaults ?? {});
  const sources: SourceConfig[] = (raw.sources ?? []).map((s) => {
    const fetch = mergeFetch(defaults, s);
    const out: SourceConfig = {
      id: s.id ?? deriveSourceId(s.url),
      url: s.url,
      kind: s.kind ?? 'auto',
      select: s.select ?? [],
      remove: s.remove ?? [],
      schedule: fetch.schedule,
      tags: s.tags ?? [],
      headers: s.headers ?? {},
      fetch,
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
    archive: resolveArchive(raw.archive ?? DEFAULT_ARCHIVE, file),
    defaults,
    watchTerms: raw.watch_terms ?? [],
    sources,
    alerts,
  };
  if (raw.timezone !== undefined) config.timezone = raw.timezone;
  return config;
}

export interface CrossProblem {
  path: ConfigPath;
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id a raw source entry will get, or undefined if its id/url are themselves invalid. */
function idOf(s: Record<string, unknown>): { id: string; derived: boolean } | undefined {
  if (s.id !== undefined) {
    const r = checkSourceId(s.id);
    return r.ok ? { id: r.value, derived: false } : undefined;
  }
  const u = checkUrl(s.url);
  return u.ok ? { id: deriveSourceId(u.value), derived: true } : undefined;
}

/** Id and URL of every source entry whose id (explicit or derived) is valid, in file order. */
export function rawSourceRefs(data: unknown): { id: string; url: unknown; index: number }[] {
  if (!isObj(data) || !Array.isArray(data.sources)) return [];
  return data.sources.flatMap((s, index) => {
    const got = isObj(s) ? idOf(s) : undefined;
    return got ? [{ id: got.id, url: (s as Record<string, unknown>).url, index }] : [];
  });
}

/**
 * Checks that span entries: unique ids, and alert routing that names real sources and tags.
 * Runs on the raw data, leniently, so these are reported together with schema problems.
 */
export function crossCheck(data: unknown, lineOf: (p: ConfigPath) => number): CrossProblem[] {
  const problems: CrossProblem[] = [];
  if (!isObj(data)) return problems;
  const seen = new Map<string, number>();
  const tags = new Set<string>();
  const rawSources = Array.isArray(data.sources) ? data.sources : [];
  rawSources.forEach((s, i) => {
    if (!isObj(s)) return;
    if (Array.isArray(s.tags)) for (const t of s.tags) if (typeof t === 'string') tags.add(t.trim());
    const got = idOf(s);
    if (!got) {
      // Already reported as an invalid id; references to it would only repeat that.
      if (typeof s.id === 'string') seen.set(s.id, i);
      return;
    }
    const first = seen.get(got.id);
    if (first === undefined) {
      seen.set(got.id, i);
      return;
    }
    const where = `sources[${first}] (line ${lineOf(['sources', first])})`;
    problems.push(
      got.derived
        ? {
            path: ['sources', i, 'url'],
            message: `this source has no id and the one derived from its URL, ${JSON.stringify(got.id)}, is already used by ${where}; give it an explicit id`,
          }
        : { path: ['sources', i, 'id'], message: `duplicate source id ${JSON.stringify(got.id)}: already used by ${where}` },
    );
  });
  const rawAlerts = Array.isArray(data.alerts) ? data.alerts : [];
  rawAlerts.forEach((a, i) => {
    if (!isObj(a)) return;
    refs(a.sources, seen.keys(), (ref, j, hint) =>
      problems.push({ path: ['alerts', i, 'sources', j], message: `no source has the id ${JSON.stringify(ref)}${hint}` }),
    );
    refs(a.tags, tags, (ref, j, hint) =>
      problems.push({
        path: ['alerts', i, 'tags', j],
        message: `no source has the tag ${JSON.stringify(ref)}${hint}, so this channel would never hear about it`,
      }),
    );
  });
  return problems;
}

function refs(list: unknown, known: Iterable<string>, report: (ref: string, j: number, hint: string) => void): void {
  if (!Array.isArray(list)) return;
  const names = [...known];
  list.forEach((ref, j) => {
    if (typeof ref === 'string' && !names.includes(ref.trim())) report(ref, j, didYouMean(ref, names));
  });
}
