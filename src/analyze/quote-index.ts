/**
 * The quote index: every unique sentence across every archived version, indexed once by
 * word pairs (shingles). Versions share most of their text, so texts are interned by hash,
 * paragraphs by content and sentences by exact wording: an archive of thousands of
 * versions costs about as much as its distinct sentences.
 */
import type { Store } from '../store/types.js';
import { splitSentences, wordTokens, type WordToken } from './sentences.js';
import { archiveParagraphs } from './units.js';

export interface IndexedSentence {
  id: number;
  /** The sentence as written (whitespace collapsed). */
  text: string;
  tokens: WordToken[];
}

export interface Occurrence {
  source: string;
  version: number;
  /** Absent for texts indexed without an archive (checkQuoteInText). */
  time?: string;
  lastSeen?: string;
}

/** One distinct text (one text hash): its paragraphs as sentence ids, and where it was archived. */
export interface IndexedDoc {
  id: number;
  paragraphs: number[][];
  occurrences: Occurrence[];
}

export interface QuoteIndexStats {
  versions: number;
  uniqueTexts: number;
  uniqueParagraphs: number;
  uniqueSentences: number;
  shingles: number;
  /** Archive blobs read while building (one per distinct text). */
  blobReads: number;
}

/** Word pairs: short enough that one changed word still leaves most pairs of a quote intact. */
export const SHINGLE = 2;

export function shinglesOf(norms: string[]): string[] {
  if (norms.length === 0) return [];
  if (norms.length < SHINGLE) return [norms.join(' ')];
  const out: string[] = [];
  for (let i = 0; i + SHINGLE <= norms.length; i++) out.push(norms.slice(i, i + SHINGLE).join(' '));
  return out;
}

export class QuoteIndex {
  readonly sentences: IndexedSentence[] = [];
  readonly docs: IndexedDoc[] = [];
  /** Sentence id → ids of the docs holding it. */
  readonly sentenceDocs: number[][] = [];
  /** Shingle → ids of the sentences holding it. */
  readonly postings = new Map<string, number[]>();
  readonly stats: QuoteIndexStats = { versions: 0, uniqueTexts: 0, uniqueParagraphs: 0, uniqueSentences: 0, shingles: 0, blobReads: 0 };
  private readonly sentenceIds = new Map<string, number>();
  private readonly paragraphIds = new Map<string, number[]>();
  private readonly docByKey = new Map<string, IndexedDoc>();

  /** Add one archived version; its text is parsed only if no version with the same key was added. */
  addVersion(occurrence: Occurrence, textKey: string, text: () => string): void {
    this.stats.versions++;
    let doc = this.docByKey.get(textKey);
    if (!doc) {
      doc = this.addDoc(text());
      this.docByKey.set(textKey, doc);
    }
    doc.occurrences.push(occurrence);
  }

  hasText(textKey: string): boolean {
    return this.docByKey.has(textKey);
  }

  private addDoc(text: string): IndexedDoc {
    const doc: IndexedDoc = { id: this.docs.length, paragraphs: [], occurrences: [] };
    this.docs.push(doc);
    this.stats.uniqueTexts++;
    for (const p of archiveParagraphs(text)) {
      let ids = this.paragraphIds.get(p);
      if (!ids) {
        ids = splitSentences(p).map((s) => this.intern(s));
        this.paragraphIds.set(p, ids);
        this.stats.uniqueParagraphs++;
      }
      doc.paragraphs.push(ids);
      for (const id of new Set(ids)) {
        const list = this.sentenceDocs[id];
        if (list[list.length - 1] !== doc.id) list.push(doc.id);
      }
    }
    return doc;
  }

  private intern(sentence: string): number {
    let id = this.sentenceIds.get(sentence);
    if (id !== undefined) return id;
    id = this.sentences.length;
    const tokens = wordTokens(sentence);
    this.sentences.push({ id, text: sentence, tokens });
    this.sentenceIds.set(sentence, id);
    this.sentenceDocs.push([]);
    this.stats.uniqueSentences++;
    for (const sh of new Set(shinglesOf(tokens.map((t) => t.norm)))) {
      let list = this.postings.get(sh);
      if (!list) {
        list = [];
        this.postings.set(sh, list);
        this.stats.shingles++;
      }
      list.push(id);
    }
    return id;
  }
}

/**
 * Index every version of the given sources (default: all) of an archive. Each distinct
 * text is read from the archive once, however many versions or sources share it.
 */
export async function buildQuoteIndex(store: Store, sources?: string[]): Promise<QuoteIndex> {
  const index = new QuoteIndex();
  const texts = new Map<string, string>();
  for (const source of sources ?? (await store.sources())) {
    const versions = await store.versions(source);
    if (sources && versions.length === 0) {
      throw new Error(`quote index: source "${source}" has no versions in the archive at ${store.root}; check the source id (known: ${(await store.sources()).join(', ') || 'none'})`);
    }
    for (const v of versions) {
      if (!index.hasText(v.textHash) && !texts.has(v.textHash)) {
        texts.set(v.textHash, (await store.getBlob(v.textHash)).toString('utf8'));
        index.stats.blobReads++;
      }
      index.addVersion({ source, version: v.version, time: v.time, lastSeen: v.lastSeen }, v.textHash, () => texts.get(v.textHash)!);
      texts.delete(v.textHash);
    }
  }
  return index;
}
