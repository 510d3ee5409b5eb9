/**
 * Text-level edits of the `sources` list. The yaml Document API finds the nodes; the change is
 * spliced into the original text, because re-stringifying the whole Document rewrites parts the
 * user never touched (it moved a commented-out block after "alerts:" onto the key's line,
 * re-aligned end-of-line comments and re-flowed folded strings when tried on the example file).
 */

import { Document, isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

type Range = [number, number, number];

const rangeOf = (n: unknown): Range | undefined => (n as { range?: Range } | null)?.range ?? undefined;

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function colOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Offset just past the line on which `node`'s value ends (its end-of-line comment included). */
function endOfNode(text: string, node: unknown): number {
  const end = rangeOf(node)?.[1] ?? text.length;
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl + 1;
}

const lineAt = (text: string, pos: number) => {
  const nl = text.indexOf('\n', pos);
  return text.slice(pos, nl < 0 ? text.length : nl + 1);
};
const isBlank = (line: string) => line.length > 0 && line.trim() === '';
const isCommentAt = (line: string, test: (col: number) => boolean) => /^\s*#/.test(line) && test(line.search(/\S/));

/** `- key: value` lines for a new list item, short lists written inline like the example file. */
export function renderItem(value: Record<string, unknown>, indent: number, eol: string): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      node.flow = true;
    },
  });
  const lines = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '').split('\n');
  const pad = ' '.repeat(indent);
  return lines.map((l, i) => `${pad}${i === 0 ? '- ' : '  '}${l}`).join(eol) + eol;
}

export interface SourcesPlace {
  root: YAMLMap | null;
  pair?: Pair;
}

/** The root mapping and its `sources` pair; throws if the file's shape cannot be edited safely. */
export function findSources(doc: Document, file: string): SourcesPlace {
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { root: null };
  if (!isMap(root) || root.flow) {
    throw new Error(`${file}: the top level is not a block mapping ("key: value" lines); edit it by hand`);
  }
  const pair = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'sources') as Pair | undefined;
  return { root, pair };
}

const blockSeq = (v: unknown): boolean => isSeq(v) && !v.flow && v.items.length > 0;

/** Inserts a new source after the last one, at the list's indentation. */
export function insertSource(text: string, place: SourcesPlace, item: Record<string, unknown>): string {
  const eol = eolOf(text);
  const { pair } = place;
  if (!pair) {
    const sep = text === '' || text.endsWith('\n') ? '' : eol;
    return `${text}${sep}${text === '' ? '' : eol}sources:${eol}${renderItem(item, 2, eol)}`;
  }
  const seq = pair.value;
  if (!isSeq(seq) || !blockSeq(seq)) {
    const existing = isSeq(seq) ? (seq.toJSON() as Record<string, unknown>[]) : [];
    return rewriteAsBlock(text, pair, [...existing, item]);
  }
  const dashCol = colOf(text, rangeOf(seq)![0]);
  const last = seq.items[seq.items.length - 1];
  let pos = endOfNode(text, last);
  while (pos < text.length && isCommentAt(lineAt(text, pos), (c) => c > dashCol)) pos += lineAt(text, pos).length;
  // Items separated by blank lines get one before the new item too.
  const prevEnd = seq.items.length > 1 ? endOfNode(text, seq.items[seq.items.length - 2]) : -1;
  const spaced = prevEnd >= 0 && /\n[ \t]*\r?\n/.test(text.slice(prevEnd - 1, rangeOf(last)![0]));
  const lead = (pos === text.length && !text.endsWith('\n') ? eol : '') + (spaced ? eol : '');
  return text.slice(0, pos) + lead + renderItem(item, dashCol, eol) + text.slice(pos);
}

/**
 * Removes the source at `index`: its lines, the comment lines directly above it at the dash's
 * column (they describe it, and would otherwise describe its neighbour), and one blank line so
 * the spacing stays even.
 */
export function removeSourceAt(text: string, place: SourcesPlace, index: number): string {
  const seq = place.pair?.value;
  if (!isSeq(seq) || index >= seq.items.length) throw new Error(`internal: sources[${index}] not found while editing`);
  if (!blockSeq(seq)) {
    const rest = (seq.toJSON() as Record<string, unknown>[]).filter((_, i) => i !== index);
    return rewriteAsBlock(text, place.pair!, rest);
  }
  const item = seq.items[index] as Node;
  let k = rangeOf(item)![0] - 1;
  while (k >= 0 && /\s/.test(text[k])) k--;
  if (text[k] !== '-') {
    throw new Error(`cannot find the "-" of sources[${index}] (a comment between "-" and the entry?); remove it by hand`);
  }
  const dashCol = colOf(text, k);
  let start = lineStart(text, k);
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    if (!isCommentAt(text.slice(prev, start), (c) => c === dashCol)) break;
    start = prev;
  }
  let end = endOfNode(text, item);
  while (end < text.length && isCommentAt(lineAt(text, end), (c) => c > dashCol)) end += lineAt(text, end).length;
  const before = start > 0 ? lineStart(text, start - 1) : -1;
  if (before >= 0 && isBlank(text.slice(before, start))) start = before;
  else if (end < text.length && isBlank(lineAt(text, end))) end += lineAt(text, end).length;
  return text.slice(0, start) + text.slice(end);
}

/** For `sources:` that is empty, null or a flow list: write the value as block items instead. */
function rewriteAsBlock(text: string, pair: Pair, items: Record<string, unknown>[]): string {
  const eol = eolOf(text);
  const value = pair.value;
  if (value != null && !isSeq(value) && !(isScalar(value) && value.value === null)) {
    throw new Error('sources is not a list; fix the file first');
  }
  const keyRange = rangeOf(pair.key)!;
  const r = rangeOf(value);
  let head: string;
  let tail: string;
  if (r && r[1] > r[0]) {
    head = text.slice(0, r[0]);
    tail = text.slice(r[1]);
  } else {
    const colon = text.indexOf(':', keyRange[1]);
    head = text.slice(0, colon + 1);
    tail = text.slice(colon + 1);
  }
  head = head.replace(/[ \t]*$/, '');
  if (items.length === 0) return `${head} []${tail}`;
  const nl = tail.indexOf('\n');
  const rest = (nl < 0 ? tail : tail.slice(0, nl)).trim();
  const after = nl < 0 ? '' : tail.slice(nl + 1);
  const keyCol = colOf(text, keyRange[0]);
  const block = items.map((i) => renderItem(i, keyCol + 2, eol)).join('');
  return `${head}${rest ? ` ${rest}` : ''}${eol}${block}${after}`;
}
