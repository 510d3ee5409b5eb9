/** Reading redline.yaml: YAML → env substitution → schema → RedlineConfig, with every problem located. */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document, type Scalar } from 'yaml';
import type * as z from 'zod';
import { buildConfig, signingKeyProblem } from './build.js';
import { crossCheck } from './cross.js';
import { filePathOf, validExtraProblem, type ExtraCheck, type FileIndex } from './extra.js';
import { salvage } from './salvage.js';
import { substituteDocument } from './env.js';
import { memoDeriveSourceId } from './source-id.js';
import { ConfigError, formatPath, showValue, type ConfigPath, type ConfigProblem } from './errors.js';
import { lineCol, locate } from './locate.js';
import { configSchema, knownKeysAt } from './schema.js';
import { didYouMean } from './suggest.js';
import type { RedlineConfig } from './types.js';

export interface ParseOptions {
  /**
   * 'ignore' lets values that use an unset variable pass unchecked. For editing the file on a
   * machine that lacks the secrets it needs at run time; never for running.
   */
  missingEnv?: 'error' | 'ignore';
  /**
   * Other stages' checks of their parts (alert channels, significance rule names). Their problems
   * are located in the file and reported with the schema's, in the same ConfigError. When the
   * schema rejects some values, the checks still run, on a config built from the rest.
   */
  extraChecks?: ExtraCheck;
}

type Env = Record<string, string | undefined>;

const startsWith = (p: ConfigPath, prefix: ConfigPath) =>
  prefix.length <= p.length && prefix.every((seg, i) => String(seg) === String(p[i]));

function valueAt(data: unknown, p: ConfigPath): unknown {
  let v = data;
  for (const seg of p) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

export interface Checked {
  problems: ConfigProblem[];
  /** Present when there are no problems (and, in lenient mode, no unchecked values). */
  config?: RedlineConfig;
  /** The YAML as plain data after substitution (undefined if the YAML itself is broken). */
  data?: unknown;
}

/** Parses and validates watch-list text. `file` names it in messages and anchors `archive`. */
export function parseConfigText(text: string, file: string, env: Env = process.env, options: ParseOptions = {}): RedlineConfig {
  const { problems, config } = checkConfigText(text, file, env, options);
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}

/**
 * Like parseConfigText, but returns the problems instead of throwing them. With
 * `missingEnv: 'ignore'` (for edits) a file whose only problems are unset variables has no
 * problems, but no config either.
 */
export function checkConfigText(text: string, file: string, env: Env = process.env, options: ParseOptions = {}): Checked {
  const { problems, data, config } = checkText(text, file, env, options);
  return data === undefined ? { problems } : config === undefined ? { problems, data } : { problems, data, config };
}

/** The parsed document, for edits that need positions: parsing is most of the cost of a check. */
export interface CheckedText extends Checked {
  lineCounter: LineCounter;
  /** With every value as written (variables not substituted). Absent if the YAML is broken. */
  doc?: Document;
}

/** checkConfigText that also hands back the document (edit.ts splices the text with it). */
export function checkText(text: string, file: string, env: Env, options: ParseOptions = {}): CheckedText {
  const lc = new LineCounter();
  const problems: ConfigProblem[] = [];
  const at = (offset: number, p: ConfigPath, message: string) =>
    problems.push({ file, ...lineCol(lc, offset), path: formatPath(p), message });

  // logLevel 'error': problems come back to the caller, never as process warnings on stderr.
  // resolveKnownTags false: !!binary, !!set, !!omap, !!timestamp would give Uint8Array, Set, Map
  // and Date values, which no key takes; unresolved, they are reported where they are written.
  const doc = parseDocument(text, {
    lineCounter: lc,
    prettyErrors: false,
    merge: true,
    uniqueKeys: true,
    resolveKnownTags: false,
    logLevel: 'error',
  });
  for (const e of [...doc.errors, ...doc.warnings]) at(e.pos[0], [], yamlMessage(e.message));
  if (doc.errors.length > 0) return { problems, lineCounter: lc };

  const envResult = substituteDocument(doc, env);
  // The document goes back to the caller as written: an edit must never write out a secret.
  const unsubstitute = () => {
    for (const [node, asWritten] of envResult.written) (node as Scalar).value = asWritten;
  };
  const lenient = options.missingEnv === 'ignore';
  // A value with an unset variable is reported once, for the variable, not again for the
  // emptied value it left behind.
  const skipped = (p: ConfigPath) => envResult.unresolved.some((u) => startsWith(p, u));
  for (const e of envResult.problems) {
    if (!(lenient && e.kind === 'missing')) at(e.offset, e.path, e.message);
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    at(0, [], `cannot read the YAML: ${(e as Error).message}`);
    unsubstitute();
    return { problems, lineCounter: lc, doc };
  }

  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const p of issueProblems(doc, issue, data, envResult.written)) {
        if (!skipped(p.path)) at(p.offset, p.path, p.message);
      }
    }
  }
  const lineOf = (p: ConfigPath) => lineCol(lc, locate(doc, p).offset).line;
  const derive = memoDeriveSourceId();
  for (const c of crossCheck(data, lineOf, derive)) {
    if (!skipped(c.path)) at(locate(doc, c.path, c.at).offset, c.path, c.message);
  }
  const config = parsed.success ? buildConfig(parsed.data, file, derive) : undefined;
  const keyProblem = config && signingKeyProblem(config);
  if (keyProblem) at(locate(doc, ['signing_key']).offset, ['signing_key'], keyProblem);
  if (options.extraChecks) {
    const base = config ? { config, fileIndex: sameIndex } : salvaged(data, file);
    if (base) {
      for (const e of runExtraChecks(options.extraChecks, base.config, file)) {
        const p = filePathOf(doc, e.path, base.config, base.fileIndex);
        if (!skipped(p)) at(locate(doc, p, e.at).offset, p, e.message);
      }
    }
  }
  unsubstitute();
  // In lenient mode a value with an unset variable was let through empty: not a config to run.
  const incomplete = envResult.unresolved.length > 0;
  if (problems.length > 0 || !config || incomplete) return { problems: unique(problems), data, lineCounter: lc, doc };
  return { problems, data, config, lineCounter: lc, doc };
}

const sameIndex: FileIndex = (_list, index) => index;

function salvaged(data: unknown, file: string): { config: RedlineConfig; fileIndex: FileIndex } | undefined {
  const s = salvage(configSchema, data);
  return s && { config: buildConfig(s.value, file), fileIndex: s.fileIndex };
}

function runExtraChecks(check: ExtraCheck, config: RedlineConfig, file: string) {
  let found: unknown;
  try {
    found = check(config);
  } catch (e) {
    throw new Error(`an extra check of the watch list ${file} failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  if (!Array.isArray(found) || !found.every(validExtraProblem)) {
    throw new TypeError(`an extra check of the watch list ${file} returned something other than a list of { path: (string|number)[], message: string }`);
  }
  return found;
}

/** A check that looks at every source reports a top-level mistake once per source; once is enough. */
function unique(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}\0${p.path}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** yaml's messages end in " at line 3, column 5:" plus a code excerpt; we give our own position. */
function yamlMessage(m: string): string {
  const cut = m.search(/ at line \d+, column \d+/);
  const text = (cut >= 0 ? m.slice(0, cut) : m).trim();
  const tag = /^Unresolved tag: tag:yaml\.org,2002:(\S+)$/.exec(text);
  if (tag) return `YAML: the tag !!${tag[1]} is not supported here; remove it and write the value as plain text, a list or a mapping`;
  return `YAML: ${text}`;
}

interface Located {
  path: ConfigPath;
  offset: number;
  message: string;
}

function issueProblems(doc: Document, issue: z.core.$ZodIssue, data: unknown, written: Map<unknown, string>): Located[] {
  const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(p);
    return issue.keys.map((key) => ({
      path: [...p, key],
      offset: locate(doc, [...p, key], 'key').offset,
      message: `unknown key ${JSON.stringify(key)}${didYouMean(key, known)}${known.length ? `; allowed here: ${known.join(', ')}` : ''}`,
    }));
  }
  if (issue.code === 'invalid_key') {
    return [{ path: p, offset: locate(doc, p, 'key').offset, message: issue.issues[0]?.message ?? issue.message }];
  }
  const params = issue.code === 'custom' ? (issue.params as { showValue?: boolean; at?: 'key' } | undefined) : undefined;
  const loc = locate(doc, p, params?.at);
  let message = issue.message;
  if (params?.showValue) {
    // Show the value as the user wrote it: with ${VAR} unexpanded, so secrets stay out of logs.
    const asWritten = loc.node ? written.get(loc.node) : undefined;
    message = `${showValue(asWritten ?? valueAt(data, p))} ${message}`;
  }
  return [{ path: p, offset: loc.offset, message }];
}

/** The file's text; a ConfigError that says what to do if it cannot be read. */
export async function readWatchList(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const abs = path.resolve(file);
    const message =
      code === 'ENOENT'
        ? `no watch list at ${abs}; create one with \`redline init\` (writes a commented example), or name another file`
        : code === 'EISDIR'
          ? `${abs} is a directory; name the watch list file inside it, e.g. ${path.join(abs, 'redline.yaml')}`
          : `cannot read ${abs}: ${(e as Error).message}`;
    throw new ConfigError([{ file, line: 0, column: 0, path: '', message }]);
  }
}

/** Reads and validates a watch list file. Throws ConfigError listing every problem. */
export async function loadConfig(file: string, env: Env = process.env, options: ParseOptions = {}): Promise<RedlineConfig> {
  return parseConfigText(await readWatchList(file), file, env, options);
}
