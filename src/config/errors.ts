/** Problems found in a watch list, and the error that carries all of them at once. */

export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  /** The file as the caller named it (so messages match what the user typed). */
  file: string;
  /** 1-based; 0 when the problem has no position (missing file, bad CLI argument). */
  line: number;
  /** 1-based; 0 when line is 0. */
  column: number;
  /** Where in the document, e.g. `sources[2].schedule`; empty for the whole file. */
  path: string;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['sources', 2, 'headers', 'X-Token']` → `sources[2].headers.X-Token`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function renderProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/**
 * Every problem in a watch list, in file order. One error for all of them so the user
 * fixes the file in one pass instead of one rerun per mistake.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const sorted = [...problems].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
    );
    super(sorted.length > 0 ? sorted.map(renderProblem).join('\n') : 'invalid watch list');
    this.problems = sorted;
  }
}

/** Short, bounded rendering of a value for messages (config values can be long). */
export function showValue(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v);
  else if (v === null || v === undefined) s = String(v);
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = Object.prototype.toString.call(v);
    }
  }
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

/** "a number (42)", "a list", "nothing": what the user wrote, in words. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${showValue(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  if (typeof v === 'object') return v.constructor === Object ? 'a mapping' : `a ${v.constructor?.name ?? 'value'}`;
  return `a ${typeof v}`;
}
