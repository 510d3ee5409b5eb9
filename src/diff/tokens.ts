/**
 * Tokens of a stretch of text as parallel typed arrays with interned integer
 * ids: the alignment compares ints, never strings, and allocates one string
 * per distinct token rather than per occurrence.
 */
import { KIND_DATE, KIND_PUNCT, scanTokens, type TokenSink } from './tokenize.js';

const SENTENCE_ENDS = ['.', '!', '?', ';', '…', '...', '。', '！', '？', '؟'];

/** Token text → dense id, shared by both sides of one diff. */
export class Interner {
  private readonly map = new Map<string, number>();
  /** Ids below this are sentence-ending punctuation (used to cut sentences for anchoring). */
  readonly sentenceEndBelow: number;

  constructor() {
    for (const p of SENTENCE_ENDS) this.id(p);
    this.sentenceEndBelow = this.map.size;
  }

  id(key: string): number {
    let v = this.map.get(key);
    if (v === undefined) {
      v = this.map.size;
      this.map.set(key, v);
    }
    return v;
  }

  get size(): number {
    return this.map.size;
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
    const key = this.text.slice(s, e);
    this.id[n] = this.interner.id(kind === KIND_DATE ? key.replace(/\s+/g, ' ') : key);
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
