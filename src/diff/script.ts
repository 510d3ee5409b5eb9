/**
 * The edit script: the exact, byte-level record of both texts that `rebuild`
 * replays. Ops: '=' text in both, '-' only before, '+' only after, '<' only
 * before and moved away (see the move change), '>' only after and moved here.
 *
 * The builder works on offsets and slices the strings once at the end, so a
 * long unchanged stretch costs one entry however many paragraphs it spans.
 */
import { isSpace, sameRange } from './chars.js';
import type { ScriptEntry, ScriptOp } from './types.js';

const EQ = 0;
const DEL = 1;
const INS = 2;
const MOVED_OUT = 3;
const MOVED_IN = 4;
const OP_CHARS: ScriptOp[] = ['=', '-', '+', '<', '>'];

/** A moved paragraph's content range, tagged with the index of its move change. */
export interface MoveRange {
  start: number;
  end: number;
  change: number;
}

export class ScriptBuilder {
  private op: number[] = [];
  private s: number[] = [];
  private e: number[] = [];
  private delS = -1;
  private delE = -1;
  private insS = -1;
  private insE = -1;

  constructor(
    readonly a: string,
    readonly b: string,
  ) {}

  private push(op: number, s: number, e: number): void {
    const n = this.op.length - 1;
    if (n >= 0 && this.op[n] === op && this.e[n] === s) this.e[n] = e;
    else {
      this.op.push(op);
      this.s.push(s);
      this.e.push(e);
    }
  }

  /** Pending deletions/insertions go out together, deletions first, so a replaced word reads "-old +new". */
  private flush(): void {
    if (this.delS >= 0) this.push(DEL, this.delS, this.delE);
    if (this.insS >= 0) this.push(INS, this.insS, this.insE);
    this.delS = this.delE = this.insS = this.insE = -1;
  }

  /** a[s,e) is identical in both texts. */
  eq(s: number, e: number): void {
    if (s >= e) return;
    this.flush();
    this.push(EQ, s, e);
  }

  del(s: number, e: number): void {
    if (s >= e) return;
    if (this.delS >= 0 && this.delE !== s) this.flush();
    if (this.delS < 0) this.delS = s;
    this.delE = e;
  }

  ins(s: number, e: number): void {
    if (s >= e) return;
    if (this.insS >= 0 && this.insE !== s) this.flush();
    if (this.insS < 0) this.insS = s;
    this.insE = e;
  }

  /**
   * a[aS,aE) and b[bS,bE) hold the same characters except inside whitespace
   * runs (same runs, possibly different spacing): identical stretches become
   * '=', differing whitespace runs '-'/'+'.
   */
  equalIgnoringSpace(aS: number, aE: number, bS: number, bE: number): void {
    const { a, b } = this;
    if (aE - aS === bE - bS && sameRange(a, aS, b, bS, aE - aS)) {
      this.eq(aS, aE);
      return;
    }
    let i = aS;
    let j = bS;
    while (i < aE && j < bE) {
      const wa = isSpace(a.charCodeAt(i));
      const wb = isSpace(b.charCodeAt(j));
      if (wa && wb) {
        let i2 = i;
        let j2 = j;
        while (i2 < aE && isSpace(a.charCodeAt(i2))) i2++;
        while (j2 < bE && isSpace(b.charCodeAt(j2))) j2++;
        if (i2 - i === j2 - j && sameRange(a, i, b, j, i2 - i)) this.eq(i, i2);
        else {
          this.del(i, i2);
          this.ins(j, j2);
        }
        i = i2;
        j = j2;
      } else if (!wa && !wb && a.charCodeAt(i) === b.charCodeAt(j)) {
        let n = 1;
        while (i + n < aE && j + n < bE) {
          const c = a.charCodeAt(i + n);
          if (c !== b.charCodeAt(j + n) || isSpace(c)) break;
          n++;
        }
        this.eq(i, i + n);
        i += n;
        j += n;
      } else break; // not actually equal: the rest is emitted as a replacement below
    }
    this.del(i, aE);
    this.ins(j, bE);
  }

  /**
   * The stretch between two equal tokens: a[aS,aE) vs b[bS,bE). Leading and
   * trailing whitespace both sides share stays '=', so an inserted paragraph
   * reads as "+paragraph" rather than "-\n\n +\n\nparagraph\n\n".
   */
  between(aS: number, aE: number, bS: number, bE: number): void {
    const { a, b } = this;
    if (aE - aS === bE - bS && sameRange(a, aS, b, bS, aE - aS)) {
      this.eq(aS, aE);
      return;
    }
    let p = 0;
    while (aS + p < aE && bS + p < bE) {
      const c = a.charCodeAt(aS + p);
      if (c !== b.charCodeAt(bS + p) || !isSpace(c)) break;
      p++;
    }
    let q = 0;
    while (aE - q > aS + p && bE - q > bS + p) {
      const c = a.charCodeAt(aE - q - 1);
      if (c !== b.charCodeAt(bE - q - 1) || !isSpace(c)) break;
      q++;
    }
    this.eq(aS, aS + p);
    this.del(aS + p, aE - q);
    this.ins(bS + p, bE - q);
    this.eq(aE - q, aE);
  }

  /**
   * Produces the entries, splitting deletions and insertions around moved
   * paragraphs (sorted, each wholly inside one '-' or '+' entry) into '<'/'>'.
   */
  finish(movedOut: MoveRange[], movedIn: MoveRange[]): ScriptEntry[] {
    this.flush();
    const out: ScriptEntry[] = [];
    let mo = 0;
    let mi = 0;
    for (let k = 0; k < this.op.length; k++) {
      const op = this.op[k];
      let s = this.s[k];
      const e = this.e[k];
      if (op === EQ) {
        out.push(['=', this.a.slice(s, e)]);
        continue;
      }
      const text = op === DEL ? this.a : this.b;
      const moves = op === DEL ? movedOut : movedIn;
      let m = op === DEL ? mo : mi;
      while (m < moves.length && moves[m].start < e) {
        const r = moves[m];
        if (r.start >= s) {
          if (r.start > s) out.push([OP_CHARS[op], text.slice(s, r.start)]);
          out.push([OP_CHARS[op === DEL ? MOVED_OUT : MOVED_IN], text.slice(r.start, r.end), r.change]);
          s = r.end;
        }
        m++;
      }
      if (op === DEL) mo = m;
      else mi = m;
      if (e > s) out.push([OP_CHARS[op], text.slice(s, e)]);
    }
    return out;
  }
}
