/**
 * Sentence provenance ("blame"): for each sentence of a version, the version and time it
 * first appeared in exactly that wording, and what it said before if it was edited.
 * One pass over the source's versions; identical texts are read and split once.
 */
import type { Store } from '../store/types.js';
import { diceOf, EDIT_SIMILARITY, pairingWords } from './align.js';
import { splitSentences } from './sentences.js';
import type { BlameLine } from './types.js';
import { archiveParagraphs } from './units.js';

interface Sentence {
  text: string;
  paragraph: number;
}

type Stamp = { version: number; time: string };

/** Above this many new × gone sentences in one step, edits are not paired (a rewrite, not an edit). */
const MAX_PAIRS = 250_000;

function sentencesOf(text: string): Sentence[] {
  return archiveParagraphs(text).flatMap((p, i) => splitSentences(p).map((s) => ({ text: s, paragraph: i + 1 })));
}

export async function blame(store: Store, source: string, version?: number): Promise<BlameLine[]> {
  const versions = await store.versions(source);
  if (versions.length === 0) {
    throw new Error(`blame: source "${source}" has no versions in the archive at ${store.root}; check the source id or run a check first`);
  }
  const target = version ?? versions[versions.length - 1].version;
  if (!versions.some((v) => v.version === target)) {
    throw new Error(`blame: source "${source}" has no version ${target} (versions ${versions[0].version}–${versions[versions.length - 1].version})`);
  }
  const since = new Map<string, Stamp>();
  const first = new Map<string, Stamp>();
  const previously = new Map<string, { text: string; version: number }>();
  let current: Sentence[] = [];
  let currentKeys = new Set<string>();
  let lastHash: string | undefined;
  let lastVersion = 0;
  for (const v of versions) {
    if (v.version > target) break;
    if (v.textHash !== lastHash) {
      const next = sentencesOf((await store.getBlob(v.textHash)).toString('utf8'));
      const nextKeys = new Set(next.map((s) => s.text));
      const added = [...nextKeys].filter((k) => !currentKeys.has(k));
      const gone = [...currentKeys].filter((k) => !nextKeys.has(k));
      for (const k of gone) since.delete(k);
      const stamp = { version: v.version, time: v.time };
      for (const k of added) {
        since.set(k, stamp);
        if (!first.has(k)) first.set(k, stamp);
        previously.delete(k);
      }
      for (const [now, before] of pairEdits(added, gone)) previously.set(now, { text: before, version: lastVersion });
      current = next;
      currentKeys = nextKeys;
      lastHash = v.textHash;
    }
    lastVersion = v.version;
  }
  return current.map((s) => {
    const line: BlameLine = { sentence: s.text, paragraph: s.paragraph, since: since.get(s.text)! };
    const f = first.get(s.text)!;
    if (f.version !== line.since.version) line.firstAppeared = f;
    const p = previously.get(s.text);
    if (p) line.previously = p;
    return line;
  });
}

/** New sentences paired with the removed sentences they reword (most similar first). */
function pairEdits(added: string[], gone: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (added.length === 0 || gone.length === 0 || added.length * gone.length > MAX_PAIRS) return out;
  const goneWords = gone.map(pairingWords);
  const candidates: { a: number; g: number; sim: number }[] = [];
  added.forEach((text, a) => {
    const words = pairingWords(text);
    goneWords.forEach((gw, g) => {
      const sim = diceOf(words, gw);
      if (sim >= EDIT_SIMILARITY) candidates.push({ a, g, sim });
    });
  });
  candidates.sort((x, y) => y.sim - x.sim);
  const used = new Set<number>();
  for (const c of candidates) {
    if (out.has(added[c.a]) || used.has(c.g)) continue;
    out.set(added[c.a], gone[c.g]);
    used.add(c.g);
  }
  return out;
}
