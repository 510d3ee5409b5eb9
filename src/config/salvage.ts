/**
 * The valid part of a watch list that failed validation, so checks that need a RedlineConfig
 * (other stages' `extraChecks`) can still run and their problems be reported in the same pass
 * as the schema's. Rejected values are dropped; a list entry that cannot stand without them
 * (a source without a valid url) is dropped whole, and its index remembered so problems found
 * in the rest still name the entry's position in the file.
 */

import type * as z from 'zod';
import type { ConfigPath } from './errors.js';

const GONE = Symbol('dropped');
/** Each round drops what the last one rejected; a dropped required key costs one more round. */
const MAX_ROUNDS = 8;

export interface Salvaged<T> {
  value: T;
  /** Index in the file of an entry of a list that lost entries, keyed by the list's path in the file. */
  fileIndex(listPath: ConfigPath, index: number): number;
}

type Container = Record<string | symbol, unknown> | unknown[];
/** Lists and mappings only: YAML can also give a Uint8Array (!!binary), which is a leaf here. */
function isContainer(v: unknown): v is Container {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The list's path in the file, as a key: segments joined by NUL. */
const keyOf = (p: ConfigPath) => p.join('\0');

/**
 * A copy without the dropped entries, and for every list that lost some, the file index of
 * each remaining entry.
 */
function compact(v: unknown, filePath: ConfigPath, maps: Map<string, number[]>): unknown {
  if (Array.isArray(v)) {
    const kept: number[] = [];
    const out: unknown[] = [];
    v.forEach((item, i) => {
      if (item === GONE) return;
      kept.push(i);
      out.push(compact(item, [...filePath, i], maps));
    });
    if (kept.length !== v.length) maps.set(keyOf(filePath), kept);
    return out;
  }
  if (isContainer(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      Object.defineProperty(out, k, { value: compact(item, [...filePath, k], maps), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/** From a path in the compacted copy to the same place in the file. */
function toFilePath(p: ConfigPath, maps: Map<string, number[]>): ConfigPath {
  const out: (string | number)[] = [];
  for (const seg of p) {
    const kept = typeof seg === 'number' ? maps.get(keyOf(out)) : undefined;
    out.push(kept && typeof seg === 'number' ? (kept[seg] ?? seg) : seg);
  }
  return out;
}

function containerAt(root: unknown, p: ConfigPath): Container | undefined {
  let v = root;
  for (const seg of p) {
    if (!isContainer(v)) return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return isContainer(v) ? v : undefined;
}

/**
 * Drops the value at `p`. False only for the top level itself, which cannot be dropped; a value
 * inside something already dropped this round is gone already.
 */
function drop(root: unknown, p: ConfigPath): boolean {
  if (p.length === 0) return false;
  const parent = containerAt(root, p.slice(0, -1));
  const last = p[p.length - 1];
  if (Array.isArray(parent)) {
    if (typeof last === 'number' && last < parent.length) parent[last] = GONE;
  } else if (parent) {
    delete parent[last as string];
  }
  return true;
}

function valueAt(root: unknown, p: ConfigPath): unknown {
  if (p.length === 0) return root;
  const parent = containerAt(root, p.slice(0, -1));
  return parent ? (parent as Record<string, unknown>)[p[p.length - 1] as string] : undefined;
}

/**
 * Parses what the schema accepts of `data`. Undefined when nothing usable is left (the top level
 * itself is wrong) or the rejections do not settle.
 */
export function salvage<S extends z.ZodType>(schema: S, data: unknown): Salvaged<z.output<S>> | undefined {
  if (!isContainer(data) || Array.isArray(data)) return undefined;
  const work = structuredClone(data);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const maps = new Map<string, number[]>();
    const parsed = schema.safeParse(compact(work, [], maps));
    if (parsed.success) {
      return {
        value: parsed.data,
        fileIndex: (listPath, index) => maps.get(keyOf(listPath))?.[index] ?? index,
      };
    }
    for (const issue of parsed.error.issues) {
      const p = toFilePath(issue.path.filter((s): s is string | number => typeof s !== 'symbol'), maps);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) drop(work, [...p, key]);
        continue;
      }
      // A required key that is missing or was dropped: the entry holding it goes instead.
      const target = valueAt(work, p) === undefined ? p.slice(0, -1) : p;
      if (!drop(work, target)) return undefined;
    }
  }
  return undefined;
}
