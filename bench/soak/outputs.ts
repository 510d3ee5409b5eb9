/**
 * What the run left on disk, read after the watch process stopped: every source's check log
 * in the archive (the authoritative count of checks and versions; format in
 * src/store/FORMAT.md), the jsonl alert file and the Atom feed.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ArchiveCounts {
  sources: number;
  checks: number;
  outcomes: Record<string, number>;
  /** Sum over sources of the newest version number (= versions stored). */
  versions: number;
  /** Log lines that did not parse (a torn line would show here). */
  badLines: number;
}

export function countArchive(archive: string): ArchiveCounts {
  const out: ArchiveCounts = { sources: 0, checks: 0, outcomes: {}, versions: 0, badLines: 0 };
  const dir = join(archive, 'sources');
  if (!existsSync(dir)) return out;
  for (const id of readdirSync(dir)) {
    const file = join(dir, id, 'log.jsonl');
    if (!existsSync(file)) continue;
    out.sources++;
    let newest = 0;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      let e: { outcome?: unknown; version?: unknown };
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        out.badLines++;
        continue;
      }
      out.checks++;
      const o = String(e.outcome);
      out.outcomes[o] = (out.outcomes[o] ?? 0) + 1;
      if (typeof e.version === 'number' && e.version > newest) newest = e.version;
    }
    out.versions += newest;
  }
  return out;
}

export interface JsonlCounts {
  lines: number;
  /** Lines per alert key (a key seen twice was written twice). */
  perKey: Map<string, number>;
  badLines: number;
}

export function countJsonl(file: string): JsonlCounts {
  const out: JsonlCounts = { lines: 0, perKey: new Map(), badLines: 0 };
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    out.lines++;
    try {
      const key = String((JSON.parse(line) as { key?: unknown }).key);
      out.perKey.set(key, (out.perKey.get(key) ?? 0) + 1);
    } catch {
      out.badLines++;
    }
  }
  return out;
}

/** Entries in the Atom feed file (it keeps the newest maxEntries, 200 by default). */
export function countAtomEntries(file: string): { exists: boolean; entries: number; bytes: number } {
  if (!existsSync(file)) return { exists: false, entries: 0, bytes: 0 };
  const text = readFileSync(file, 'utf8');
  return { exists: true, entries: (text.match(/<entry>/g) ?? []).length, bytes: Buffer.byteLength(text) };
}
