/**
 * A V8 heap snapshot (.heapsnapshot, as written by v8.writeHeapSnapshot) read into flat arrays,
 * and the two questions asked of a pair or a trio of them: which kinds of object grew, and which
 * objects born between the first two snapshots are still alive at the third (the three-snapshot
 * way of finding a leak), grouped by the long-lived object that holds them.
 *
 * Node ids are stable across snapshots of one process, which is what makes "born between A and
 * B" answerable at all. Self sizes only: retained sizes need a dominator tree, and the holders'
 * table answers the same question (what keeps it) more directly.
 */
import { readFileSync } from 'node:fs';

interface RawSnapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export class HeapSnapshot {
  readonly count: number;
  private readonly raw: RawSnapshot;
  private readonly nodeWidth: number;
  private readonly edgeWidth: number;
  private readonly at: Record<'type' | 'name' | 'id' | 'self_size' | 'edge_count', number>;
  private readonly edgeAt: Record<'type' | 'name_or_index' | 'to_node', number>;
  private readonly firstEdge: Uint32Array;
  private parentOf: { parent: Int32Array; edge: string[] } | undefined;

  constructor(
    readonly file: string,
    text?: string,
  ) {
    try {
      text ??= readFileSync(file, 'utf8');
      this.raw = JSON.parse(text) as RawSnapshot;
    } catch (err) {
      throw new Error(`cannot read heap snapshot ${file}: ${(err as Error).message}`, { cause: err });
    }
    const meta = this.raw.snapshot?.meta;
    if (!meta?.node_fields || !Array.isArray(this.raw.nodes)) throw new Error(`${file} is not a V8 heap snapshot (no snapshot.meta.node_fields or nodes)`);
    const field = (list: string[], name: string) => {
      const i = list.indexOf(name);
      if (i < 0) throw new Error(`${file}: the snapshot has no "${name}" field; written by an unsupported V8?`);
      return i;
    };
    this.nodeWidth = meta.node_fields.length;
    this.edgeWidth = meta.edge_fields.length;
    this.at = {
      type: field(meta.node_fields, 'type'),
      name: field(meta.node_fields, 'name'),
      id: field(meta.node_fields, 'id'),
      self_size: field(meta.node_fields, 'self_size'),
      edge_count: field(meta.node_fields, 'edge_count'),
    };
    this.edgeAt = { type: field(meta.edge_fields, 'type'), name_or_index: field(meta.edge_fields, 'name_or_index'), to_node: field(meta.edge_fields, 'to_node') };
    this.count = this.raw.nodes.length / this.nodeWidth;
    this.firstEdge = new Uint32Array(this.count + 1);
    for (let i = 0, e = 0; i < this.count; i++) {
      this.firstEdge[i] = e;
      e += this.raw.nodes[i * this.nodeWidth + this.at.edge_count]! * this.edgeWidth;
      this.firstEdge[i + 1] = e;
    }
  }

  id(i: number): number {
    return this.raw.nodes[i * this.nodeWidth + this.at.id]!;
  }

  selfSize(i: number): number {
    return this.raw.nodes[i * this.nodeWidth + this.at.self_size]!;
  }

  /** "object:Name" for objects, closures and the like; strings and numbers by type alone (their names are their values). */
  kind(i: number): string {
    const type = this.raw.snapshot.meta.node_types[0][this.raw.nodes[i * this.nodeWidth + this.at.type]!]!;
    if (/string|number/.test(type)) return type;
    return `${type}:${this.raw.strings[this.raw.nodes[i * this.nodeWidth + this.at.name]!]!.slice(0, 60)}`;
  }

  totalBytes(): number {
    let t = 0;
    for (let i = 0; i < this.count; i++) t += this.selfSize(i);
    return t;
  }

  ids(): Set<number> {
    const s = new Set<number>();
    for (let i = 0; i < this.count; i++) s.add(this.id(i));
    return s;
  }

  /** Count and self bytes per kind, of the nodes `keep` accepts (all when absent). */
  byKind(keep?: (i: number) => boolean): Map<string, Tally> {
    const m = new Map<string, Tally>();
    for (let i = 0; i < this.count; i++) {
      if (keep && !keep(i)) continue;
      const kind = this.kind(i);
      const t = m.get(kind) ?? { count: 0, bytes: 0 };
      t.count++;
      t.bytes += this.selfSize(i);
      m.set(kind, t);
    }
    return m;
  }

  /**
   * Each node's parent on a shortest path of strong edges from the root (node 0), found
   * breadth-first: the path printed for a node is then one that really keeps it alive.
   */
  retainer(i: number): { parent: number; edge: string } | undefined {
    this.parentOf ??= this.shortestPaths();
    const parent = this.parentOf.parent[i]!;
    return i === 0 || parent < 0 ? undefined : { parent, edge: this.parentOf.edge[i]! };
  }

  private shortestPaths(): { parent: Int32Array; edge: string[] } {
    const { edges, strings } = this.raw;
    const edgeTypes = this.raw.snapshot.meta.edge_types[0];
    const parent = new Int32Array(this.count).fill(-1);
    const edge = new Array<string>(this.count);
    const queue = new Int32Array(this.count);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    parent[0] = 0;
    while (head < tail) {
      const i = queue[head++]!;
      for (let e = this.firstEdge[i]!; e < this.firstEdge[i + 1]!; e += this.edgeWidth) {
        const to = edges[e + this.edgeAt.to_node]! / this.nodeWidth;
        const type = edgeTypes[edges[e + this.edgeAt.type]!]!;
        if (type === 'weak' || parent[to] !== -1) continue;
        const nameOrIndex = edges[e + this.edgeAt.name_or_index]!;
        parent[to] = i;
        edge[to] = `${type}:${type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : strings[nameOrIndex]}`;
        queue[tail++] = to;
      }
    }
    return { parent, edge };
  }
}

export interface Tally {
  count: number;
  bytes: number;
}

export interface KindGrowth extends Tally {
  kind: string;
  /** Change from the first snapshot to the second. */
  dCount: number;
  dBytes: number;
}

/** Every kind in either snapshot with its count and bytes in `b` and the change from `a`, largest byte change first. */
export function growth(a: HeapSnapshot, b: HeapSnapshot): KindGrowth[] {
  const before = a.byKind();
  const after = b.byKind();
  const rows: KindGrowth[] = [];
  for (const kind of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(kind) ?? { count: 0, bytes: 0 };
    const y = after.get(kind) ?? { count: 0, bytes: 0 };
    rows.push({ kind, count: y.count, bytes: y.bytes, dCount: y.count - x.count, dBytes: y.bytes - x.bytes });
  }
  return rows.sort((p, q) => Math.abs(q.dBytes) - Math.abs(p.dBytes));
}

/**
 * Growth split three ways, for the first question about a rising heap: is it the program's data,
 * or V8's own (compiled code, feedback, maps' dependent-code lists), which grows while the
 * optimiser gets to functions that run rarely and stops when it has got to them.
 */
export function growthByCategory(rows: KindGrowth[]): Record<HeapCategory, { dBytes: number; dCount: number }> {
  const out = Object.fromEntries(HEAP_CATEGORIES.map((c) => [c, { dBytes: 0, dCount: 0 }])) as Record<HeapCategory, { dBytes: number; dCount: number }>;
  for (const r of rows) {
    const t = out[categoryOf(r.kind)];
    t.dBytes += r.dBytes;
    t.dCount += r.dCount;
  }
  return out;
}

const HEAP_CATEGORIES = ['program data', 'compiled code and feedback', 'V8 object shapes and internals'] as const;
export type HeapCategory = (typeof HEAP_CATEGORIES)[number];

export function categoryOf(kind: string): HeapCategory {
  if (kind.startsWith('code')) return 'compiled code and feedback';
  if (kind.startsWith('hidden') || kind.startsWith('object shape') || kind.startsWith('synthetic')) return 'V8 object shapes and internals';
  return 'program data';
}

export interface Survivors {
  count: number;
  bytes: number;
  byKind: (Tally & { kind: string })[];
  /**
   * Grouped by the first object on each survivor's retaining path that was already alive at
   * the first snapshot: a growing container shows as one row whatever it holds. `path` is the
   * last edges into the first survivor found under it (numbers as *).
   */
  byHolder: (Tally & { holder: string; path: string })[];
  /** The retaining path from the root to one survivor of each of the top kinds. */
  examples: { kind: string; path: string[] }[];
}

/** Objects born after `a` and alive at `b` and still at `c`. */
export function survivors(a: HeapSnapshot, b: HeapSnapshot, c: HeapSnapshot, top = 8): Survivors {
  const atA = a.ids();
  const atB = b.ids();
  const born = (i: number) => atB.has(c.id(i)) && !atA.has(c.id(i));
  const kinds = [...c.byKind(born)].map(([kind, t]) => ({ kind, ...t })).sort((p, q) => q.bytes - p.bytes);
  const holders = new Map<string, Tally & { holder: string; path: string }>();
  const examples: { kind: string; path: string[] }[] = [];
  const wanted = new Set(kinds.slice(0, top).map((k) => k.kind));
  for (let i = 0; i < c.count; i++) {
    if (!born(i)) continue;
    const chain: string[] = [];
    let j = i;
    for (let step = c.retainer(j); step; step = c.retainer(j)) {
      chain.push(step.edge);
      j = step.parent;
      if (!born(j)) break;
    }
    const path = chain.slice(-3).reverse().map((e) => e.replace(/\d+/g, '*')).join(' .');
    const holder = `${c.kind(j)} @${c.id(j)}`;
    const h = holders.get(holder) ?? { holder, path, count: 0, bytes: 0 };
    h.count++;
    h.bytes += c.selfSize(i);
    holders.set(holder, h);
    if (wanted.delete(c.kind(i))) examples.push({ kind: c.kind(i), path: pathFromRoot(c, i) });
  }
  const count = kinds.reduce((n, k) => n + k.count, 0);
  const bytes = kinds.reduce((n, k) => n + k.bytes, 0);
  return { count, bytes, byKind: kinds, byHolder: [...holders.values()].sort((p, q) => q.bytes - p.bytes), examples };
}

function pathFromRoot(s: HeapSnapshot, i: number): string[] {
  const out: string[] = [];
  for (let j = i, step = s.retainer(i); step && out.length < 30; j = step.parent, step = s.retainer(j)) {
    out.push(`${step.edge} of ${s.kind(step.parent)} @${s.id(step.parent)}`);
  }
  return out;
}
