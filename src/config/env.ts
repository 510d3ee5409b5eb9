/** `${VAR}` and `${VAR:-default}` in string values of a parsed watch list, applied in place. */

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { ConfigPath } from './errors.js';
import { keyText } from './locate.js';

export interface EnvProblem {
  kind: 'missing' | 'syntax';
  path: ConfigPath;
  /** Offset of the value in the source text. */
  offset: number;
  message: string;
}

export interface EnvResult {
  problems: EnvProblem[];
  /** Paths whose value used a variable that is not set. */
  unresolved: ConfigPath[];
  /** The text as written (before substitution) of every scalar that was changed. */
  written: Map<Node, string>;
}

const REF = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Env = Record<string, string | undefined>;

/**
 * Returns the substituted text, or the names of missing variables and syntax problems.
 * `$${` stands for a literal `${`, so a value can contain one.
 */
export function substitute(text: string, env: Env): { value: string; missing: string[]; bad: string[] } {
  const missing: string[] = [];
  const bad: string[] = [];
  const value = text.replace(REF, (whole, body: string | undefined) => {
    if (whole === '$${') return '${';
    if (body === undefined) {
      bad.push('"${" without a closing "}"');
      return whole;
    }
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      bad.push(`${JSON.stringify(whole)} is not a variable reference (use \${NAME} or \${NAME:-default})`);
      return whole;
    }
    const v = env[name];
    if (sep >= 0) return v === undefined || v === '' ? body.slice(sep + 2) : v;
    if (v === undefined) {
      missing.push(name);
      return '';
    }
    return v;
  });
  return { value, missing, bad };
}

/** Walks values (never keys) of the document; aliases are skipped, their anchors are visited once. */
export function substituteDocument(doc: Document, env: Env): EnvResult {
  const result: EnvResult = { problems: [], unresolved: [], written: new Map() };
  // One path array, pushed and popped, copied only for the rare value that uses a variable:
  // this visits every value of a list of thousands of sources.
  const path: (string | number)[] = [];
  const walk = (node: unknown): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        path.push(keyText(pair.key) ?? '?');
        walk(pair.value);
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        walk(node.items[i]);
        path.pop();
      }
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      visitScalar(node as Scalar<string>, [...path], env, result);
    }
  };
  walk(doc.contents);
  return result;
}

function visitScalar(node: Scalar<string>, path: ConfigPath, env: Env, result: EnvResult): void {
  const { value, missing, bad } = substitute(node.value, env);
  const offset = node.range?.[0] ?? 0;
  for (const name of missing) {
    result.problems.push({
      kind: 'missing',
      path,
      offset,
      message: `environment variable ${name} is not set; set it, or write \${${name}:-default} to give a default`,
    });
  }
  for (const b of bad) result.problems.push({ kind: 'syntax', path, offset, message: b });
  if (missing.length > 0) result.unresolved.push(path);
  result.written.set(node, node.value);
  node.value = value;
}
