/** Editing redline.yaml in place: init, add and remove sources, keeping the user's comments. */

import path from 'node:path';
import { rawSourceRefs } from './cross.js';
import { createFile, replaceFile } from './atomic.js';
import { ConfigError, formatPath, showValue, type ConfigProblem } from './errors.js';
import { checkConfigText, checkText, readWatchList } from './load.js';
import { lineCol, locate } from './locate.js';
import { sourceSchema } from './schema.js';
import { deriveSourceId, SOURCE_ID_MAX } from './source-id.js';
import { findSources, insertSource, removeSourceAt } from './splice.js';
import { didYouMean } from './suggest.js';
import { EXAMPLE_CONFIG } from './template.js';
import type { SourceKind } from './types.js';

type Env = Record<string, string | undefined>;

export interface NewSource {
  url: string;
  id?: string;
  kind?: SourceKind;
  select?: string | string[];
  remove?: string | string[];
  schedule?: string;
  tags?: string[];
}

/** Writes the commented example watch list; refuses to replace an existing file unless `force`. */
export async function initConfig(file: string, options: { force?: boolean } = {}): Promise<string> {
  const abs = path.resolve(file);
  try {
    await createFile(abs, EXAMPLE_CONFIG, options.force === true);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${abs} already exists; not overwritten (use --force to replace it with the example)`);
    if (code === 'ENOENT') throw new Error(`cannot create ${abs}: the folder ${path.dirname(abs)} does not exist; create it first`);
    throw new Error(`cannot create ${abs}: ${(e as Error).message}`);
  }
  return abs;
}

/**
 * Problems with the file as it is. Values that use an unset variable are not checked: an edit
 * should not need the run-time secrets.
 */
function checkCurrent(text: string, file: string, env: Env) {
  const checked = checkText(text, file, env, { missingEnv: 'ignore' });
  if (checked.problems.length > 0) throw new ConfigError(checked.problems);
  // No problems means the YAML parsed, so there is a document.
  return { data: checked.data, doc: checked.doc!, lc: checked.lineCounter };
}

/** The edit must leave a valid file; if not, say so without pointing at lines that were never written. */
function checkEdited(text: string, file: string, env: Env): void {
  const { problems } = checkConfigText(text, `${file} (as edited, not written)`, env, { missingEnv: 'ignore' });
  if (problems.length > 0) throw new ConfigError(problems);
}

function normalUrl(u: unknown): string | undefined {
  try {
    return typeof u === 'string' ? new URL(u.trim()).href : undefined;
  } catch {
    return undefined;
  }
}

/** The entry as it will be written: only the keys given, in the order the example file uses. */
function entryOf(s: NewSource, id?: string): Record<string, unknown> {
  const entry: Record<string, unknown> = id === undefined ? { url: s.url.trim() } : { id, url: s.url.trim() };
  if (s.kind !== undefined) entry.kind = s.kind;
  if (s.select !== undefined) entry.select = s.select;
  if (s.remove !== undefined) entry.remove = s.remove;
  if (s.schedule !== undefined) entry.schedule = s.schedule;
  if (s.tags !== undefined && s.tags.length > 0) entry.tags = s.tags;
  return entry;
}

function inputProblems(file: string, entry: Record<string, unknown>): ConfigProblem[] {
  const parsed = sourceSchema.safeParse(entry);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    let v: unknown = entry;
    for (const seg of p) v = (v as Record<string | number, unknown> | undefined)?.[seg];
    const message = issue.code === 'custom' && v !== undefined ? `${showValue(v)} ${issue.message}` : issue.message;
    return { file, line: 0, column: 0, path: `new source ${formatPath(p)}`, message };
  });
}

/** Adds a source after the last one and returns its id (derived from the URL if not given). */
export async function addSource(file: string, source: NewSource, env: Env = process.env): Promise<string> {
  const text = await readWatchList(file);
  const { data, doc, lc } = checkCurrent(text, file, env);
  const refs = rawSourceRefs(data);
  const where = (index: number, key: string) => {
    const { line, column } = lineCol(lc, locate(doc, ['sources', index, key]).offset);
    return { file, line, column, path: formatPath(['sources', index, key]) };
  };

  const given = source.id?.trim();
  const bad = inputProblems(file, entryOf(source, given));
  if (bad.length > 0) throw new ConfigError(bad);

  const url = normalUrl(source.url)!; // valid: inputProblems checked it
  const sameUrl = refs.find((r) => normalUrl(r.url) === url);
  if (sameUrl) {
    throw new ConfigError([{ ...where(sameUrl.index, 'url'), message: `${source.url.trim()} is already watched as ${JSON.stringify(sameUrl.id)}` }]);
  }
  const taken = new Set(refs.map((r) => r.id));
  let id: string;
  if (given !== undefined) {
    const dup = refs.find((r) => r.id === given);
    if (dup) throw new ConfigError([{ ...where(dup.index, 'id'), message: `the id ${JSON.stringify(given)} is already used; choose another` }]);
    id = given;
  } else {
    id = uniqueId(deriveSourceId(source.url.trim()), taken);
  }

  const edited = insertSource(text, findSources(doc, file), entryOf(source, id));
  checkEdited(edited, file, env);
  await replaceFile(file, edited, text);
  return id;
}

/** A derived id that collides gets "-2", "-3", ... (another URL on the same host and page name). */
function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SOURCE_ID_MAX - suffix.length).replace(/[-._]+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Removes the source with this id. Alert channels that route from it must be changed first. */
export async function removeSource(file: string, id: string, env: Env = process.env): Promise<void> {
  const text = await readWatchList(file);
  const { data, doc, lc } = checkCurrent(text, file, env);
  const refs = rawSourceRefs(data);
  const target = refs.find((r) => r.id === id);
  if (!target) {
    const known = refs.map((r) => r.id);
    const list = known.length > 0 ? `known ids: ${known.join(', ')}` : 'it has no sources';
    throw new Error(`${file}: no source has the id ${JSON.stringify(id)}${didYouMean(id, known)}; ${list}`);
  }
  const routed = routingTo(data, id).map((i) => {
    const { line, column } = lineCol(lc, locate(doc, ['alerts', i, 'sources']).offset);
    return {
      file,
      line,
      column,
      path: formatPath(['alerts', i, 'sources']),
      message: `routes alerts from ${JSON.stringify(id)}; take it out of this list (or remove the channel) before removing the source`,
    };
  });
  if (routed.length > 0) throw new ConfigError(routed);

  const edited = removeSourceAt(text, findSources(doc, file), target.index);
  checkEdited(edited, file, env);
  await replaceFile(file, edited, text);
}

function routingTo(data: unknown, id: string): number[] {
  const alerts = (data as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) return [];
  return alerts.flatMap((a, i) => {
    const s = (a as { sources?: unknown } | null)?.sources;
    return Array.isArray(s) && s.some((x) => typeof x === 'string' && x.trim() === id) ? [i] : [];
  });
}
