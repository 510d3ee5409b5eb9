/**
 * Tokens of a stretch of text as parallel typed arrays with interned integer
 * ids: the alignment compares ints, never strings, and allocates one string
 * per distinct token rather than per occurrence.
 */
import { sameRange } from './chars.js';
import { KIND_DATE, KIND_PUNCT, scanTokens, type TokenSink } from './tokenize.js';

const SENTENCE_ENDS = ['.', '!', '?', ';', '…', '...', '。', '！', '？', '؟'];

/**
 * Token text → dense id, shared by both sides of one diff. An open-addressing
 * table keyed by a hash computed from the characters in place: looking up a
 * token that was seen before allocates nothing (no slice, no Map key).
 */
export class Interner {
  private keys: string[] = [];
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(1024); // id + 1; 0 = empty
  /** Ids below this are sentence-ending punctuation (used to cut sentences for anchoring). */
  readonly sentenceEndBelow: number;

  constructor() {
    for (const p of SENTENCE_ENDS) this.idOf(p, 0, p.length);
    this.sentenceEndBelow = this.keys.length;
  }

  /** Id of text[s,e). */
  idOf(text: string, s: number, e: number): number {
    let h = Math.imul(e - s, 0x9e3779b1) ^ 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const v = this.slots[slot];
      if (v === 0) break;
      if (this.hashes[slot] === h) {
        const key = this.keys[v - 1];
        if (key.length === e - s && sameRange(text, s, key, 0, e - s)) return v - 1;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.keys.length;
    this.keys.push(text.slice(s, e));
    this.hashes[slot] = h;
    this.slots[slot] = id + 1;
    if (this.keys.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  id(key: string): number {
    return this.idOf(key, 0, key.length);
  }

  private rehash(): void {
    const oldH = this.hashes;
    const oldS = this.slots;
    this.hashes = new Int32Array(oldS.length * 2);
    this.slots = new Int32Array(oldS.length * 2);
    const mask = this.slots.length - 1;
    for (let k = 0; k < oldS.length; k++) {
      if (oldS[k] === 0) continue;
      let slot = oldH[k] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = oldS[k];
      this.hashes[slot] = oldH[k];
    }
  }

  get size(): number {
    return this.keys.length;
  }
}

export class Tokens implements TokenSink {
  start: Int32Array;
  end: Int32Array;
  id: Int32Array;
  kind: Uint8Array;
  /** Paragraph index (in the whole document) of each token. */
  para: Int32Array;
  count = 0;
  private curPara = -1;

  constructor(
    readonly text: string,
    private readonly interner: Interner,
    capacity = 256,
  ) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.id = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.para = new Int32Array(capacity);
  }

  private grow(): void {
    const n = this.start.length * 2;
    const g32 = (x: Int32Array): Int32Array => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    this.start = g32(this.start);
    this.end = g32(this.end);
    this.id = g32(this.id);
    this.para = g32(this.para);
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
  }

  push(s: number, e: number, kind: number): void {
    if (this.count === this.start.length) this.grow();
    const n = this.count++;
    this.start[n] = s;
    this.end[n] = e;
    this.kind[n] = kind;
    this.para[n] = this.curPara;
    // Dates compare with uniform spacing ("16 January\n2023" equals "16 January 2023").
    this.id[n] = kind === KIND_DATE ? this.interner.id(this.text.slice(s, e).replace(/\s+/g, ' ')) : this.interner.idOf(this.text, s, e);
  }

  /** Empties the arrays for reuse by the next region (no reallocation). */
  reset(): void {
    this.count = 0;
  }

  /** Tokenizes text[s,e), which lies inside paragraph `para`. */
  add(s: number, e: number, para: number): void {
    this.curPara = para;
    scanTokens(this.text, s, e, this);
  }

  /** Words (not punctuation) among tokens [from, to). */
  words(from: number, to: number): number {
    let n = 0;
    for (let t = from; t < to; t++) if (this.kind[t] !== KIND_PUNCT) n++;
    return n;
  }

  /** Largest token id in use (ids are shared with the other side through the interner). */
  maxId(): number {
    return this.interner.size - 1;
  }

  isSentenceEnd(t: number): boolean {
    return this.id[t] < this.interner.sentenceEndBelow;
  }
}
