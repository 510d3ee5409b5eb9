/** From a path in the loaded data back to the place in the YAML text, for line:col in messages. */

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigPath } from './errors.js';

export interface Located {
  /** Offset in the source text: the value, the key (when asked for), or the nearest parent found. */
  offset: number;
  /** The value node, when the whole path exists in the document. */
  node?: Node;
}

/**
 * A map key as the loaded data names it. Undefined for a mapping or list used as a key (YAML's
 * "? " syntax): no path of ours can name one, and stringifying it can throw.
 */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return key == null ? String(key) : undefined;
}

function resolve(doc: Document, n: unknown): unknown {
  return isAlias(n) ? n.resolve(doc) : n;
}

function start(n: unknown, fallback: number): number {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : fallback;
}

/**
 * `at: 'key'` points at the last key itself (unknown keys); otherwise at its value. A path that
 * runs out (a missing key) points at the deepest map that exists, where the key should go.
 */
export function locate(doc: Document, path: ConfigPath, at: 'key' | 'value' = 'value'): Located {
  let node: unknown = resolve(doc, doc.contents);
  let offset = start(node, 0);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && keyText(p.key) === String(seg),
      );
      if (!pair) return { offset };
      if (last && at === 'key') return { offset: start(pair.key, offset), node: pair.key as Node };
      const value = resolve(doc, pair.value);
      // A key with no value ("timeout:") has an empty range at the colon; the key is clearer.
      offset = value == null || (isScalar(value) && value.value == null) ? start(pair.key, offset) : start(value, offset);
      node = value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = resolve(doc, node.items[seg]);
      offset = start(node, offset);
    } else {
      return { offset };
    }
  }
  return { offset, node: (node ?? undefined) as Node | undefined };
}

export function lineCol(lc: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}
