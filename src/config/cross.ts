/**
 * Checks that span entries: unique ids, and references (alert routing, tag_significance) that
 * name real sources and tags. They run on the raw data, leniently, so they are reported together
 * with schema problems.
 */

import type { ConfigPath } from './errors.js';
import { checkSourceId, checkUrl } from './schema.js';
import { deriveSourceId } from './source-id.js';
import { didYouMean } from './suggest.js';

export interface CrossProblem {
  path: ConfigPath;
  message: string;
  /** Point at the key rather than its value. */
  at?: 'key';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id a raw source entry will get, or undefined if its id/url are themselves invalid. */
function idOf(s: Record<string, unknown>, derive: (url: string) => string): { id: string; derived: boolean } | undefined {
  if (s.id !== undefined) {
    const r = checkSourceId(s.id);
    return r.ok ? { id: r.value, derived: false } : undefined;
  }
  const u = checkUrl(s.url);
  return u.ok ? { id: derive(u.value), derived: true } : undefined;
}

/** Id and URL of every source entry whose id (explicit or derived) is valid, in file order. */
export function rawSourceRefs(data: unknown): { id: string; url: unknown; index: number }[] {
  if (!isObj(data) || !Array.isArray(data.sources)) return [];
  return data.sources.flatMap((s, index) => {
    const got = isObj(s) ? idOf(s, deriveSourceId) : undefined;
    return got ? [{ id: got.id, url: (s as Record<string, unknown>).url, index }] : [];
  });
}

export function crossCheck(
  data: unknown,
  lineOf: (p: ConfigPath) => number,
  derive: (url: string) => string = deriveSourceId,
): CrossProblem[] {
  const problems: CrossProblem[] = [];
  protoKeys(data, [], problems);
  if (!isObj(data)) return problems;
  const seen = new Map<string, number>();
  const tags = new Set<string>();
  const rawSources = Array.isArray(data.sources) ? data.sources : [];
  rawSources.forEach((s, i) => {
    if (!isObj(s)) return;
    if (Array.isArray(s.tags)) for (const t of s.tags) if (typeof t === 'string') tags.add(t.trim());
    const got = idOf(s, derive);
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
  if (isObj(data.tag_significance)) {
    for (const tag of Object.keys(data.tag_significance)) {
      if (tags.has(tag)) continue;
      problems.push({
        path: ['tag_significance', tag],
        message: `no source has the tag ${JSON.stringify(tag)}${didYouMean(tag, tags)}, so these settings would apply to nothing`,
        at: 'key',
      });
    }
  }
  return problems;
}

/**
 * The schema drops "__proto__" keys without a word (assigning one would replace an object's
 * prototype), so a setting written under that name would silently do nothing.
 */
function protoKeys(v: unknown, path: (string | number)[], problems: CrossProblem[]): void {
  // One path array, pushed and popped: this visits every value of a list of thousands of sources.
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      protoKeys(v[i], path, problems);
      path.pop();
    }
  } else if (isObj(v)) {
    for (const key of Object.keys(v)) {
      if (key === '__proto__') {
        problems.push({ path: [...path, key], message: '"__proto__" cannot be used as a name here', at: 'key' });
        continue;
      }
      path.push(key);
      protoKeys(v[key], path, problems);
      path.pop();
    }
  }
}

function refs(list: unknown, known: Iterable<string>, report: (ref: string, j: number, hint: string) => void): void {
  if (!Array.isArray(list)) return;
  const names = [...known];
  list.forEach((ref, j) => {
    if (typeof ref === 'string' && !names.includes(ref.trim())) report(ref, j, didYouMean(ref, names));
  });
}
