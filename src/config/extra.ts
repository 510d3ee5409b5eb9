/**
 * Other stages' checks of their parts of the watch list (alert channels, significance rule
 * names), run on the loaded RedlineConfig and reported at the place in the file the value
 * came from, together with the schema's problems.
 */

import { isMap, type Document } from 'yaml';
import type { ConfigPath } from './errors.js';
import { keyText, locate } from './locate.js';
import type { RedlineConfig } from './types.js';

export interface ExtraProblem {
  /**
   * Where, as a path into the RedlineConfig (`['sources', 3, 'significance', 'rules', 'sentense']`,
   * `['alerts', 0, 'settings', 'url']`) or into the file (`['alerts', 0, 'url']`); both are found.
   */
  path: (string | number)[];
  message: string;
  /** Point at the key itself (e.g. an unknown rule name) rather than at its value. */
  at?: 'key' | 'value';
}

export type ExtraCheck = (config: RedlineConfig) => ExtraProblem[];

/** RedlineConfig field → the key written in the file, where snake_case alone does not give it. */
const RENAMES: Record<string, string> = {
  connectTimeoutMs: 'connect_timeout',
  responseTimeoutMs: 'response_timeout',
  bodyTimeoutMs: 'body_timeout',
  maxBytes: 'max_size',
  perHostDelayMs: 'per_host_delay',
  removalMinMs: 'removal_min_duration',
};

/** The three timeouts may come from `timeout`, which sets all of them. */
const TIMEOUTS = new Set(['connectTimeoutMs', 'responseTimeoutMs', 'bodyTimeoutMs']);

const snakeCase = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** How a config field would be written in the file; names the user chose (tags, headers, rules) stay. */
const fileKey = (k: string) => RENAMES[k] ?? (/^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(k) ? snakeCase(k) : k);

/** Index in the file of entry `index` of the list at `listPath` (in the file) of the config. */
export type FileIndex = (listPath: ConfigPath, index: number) => number;

/**
 * Follows `path` through the document, matching each key as given, renamed, or snake_cased.
 * Undefined when the whole path is not there.
 */
function findInFile(doc: Document, path: ConfigPath, fileIndex: FileIndex): ConfigPath | undefined {
  const out: (string | number)[] = [];
  for (const seg of path) {
    if (typeof seg === 'number') {
      out.push(fileIndex(out, seg));
      continue;
    }
    const map = locate(doc, out).node;
    if (!isMap(map)) return undefined;
    const keys = new Set(map.items.map((p) => keyText(p.key)));
    const key = [seg, RENAMES[seg], snakeCase(seg)].find((k) => k !== undefined && keys.has(k));
    if (key === undefined) return undefined;
    out.push(key);
  }
  return locate(doc, out).node === undefined ? undefined : out;
}

/**
 * The places in the file a config path may have come from, most specific first: merged
 * settings of a source fall back to `defaults`, to its tags' significance (last listed tag
 * first) and to the top-level significance.
 */
function origins(path: ConfigPath, config: RedlineConfig): ConfigPath[] {
  const [top, index, field, ...rest] = path;
  if (top === 'alerts' && typeof index === 'number' && field === 'settings') return [['alerts', index, ...rest]];
  if (top !== 'sources' || typeof index !== 'number') return [path];
  const own: ConfigPath = ['sources', index];
  if ((field === 'fetch' || field === 'policy') && typeof rest[0] === 'string') {
    const [key, ...deeper] = rest;
    const timeout = TIMEOUTS.has(key) ? [[...own, 'timeout'], ['defaults', 'timeout']] : [];
    return [[...own, key, ...deeper], ['defaults', key, ...deeper], ...timeout];
  }
  if (field === 'schedule') return [[...own, 'schedule'], ['defaults', 'schedule']];
  if (field === 'significance') {
    const tags = [...(config.sources[index]?.tags ?? [])].reverse();
    return [[...own, 'significance', ...rest], ...tags.map((t) => ['tag_significance', t, ...rest]), ['significance', ...rest]];
  }
  return [path];
}

/**
 * The file path of the first origin that exists in the file. If none does (a value that is a
 * built-in default), the most specific origin: located, it points at the nearest parent there is.
 */
export function filePathOf(doc: Document, path: ConfigPath, config: RedlineConfig, fileIndex: FileIndex): ConfigPath {
  const candidates = origins(path, config);
  for (const c of candidates) {
    const found = findInFile(doc, c, fileIndex);
    if (found) return found;
  }
  const out: (string | number)[] = [];
  for (const seg of candidates[0]) out.push(typeof seg === 'number' ? fileIndex(out, seg) : fileKey(seg));
  return out;
}

/** A problem's path must be a list of keys and indexes; anything else is the check's bug. */
export function validExtraProblem(p: unknown): p is ExtraProblem {
  if (typeof p !== 'object' || p === null) return false;
  const { path, message, at } = p as Partial<ExtraProblem>;
  return (
    typeof message === 'string' &&
    (at === undefined || at === 'key' || at === 'value') &&
    Array.isArray(path) &&
    path.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s) && s >= 0))
  );
}
