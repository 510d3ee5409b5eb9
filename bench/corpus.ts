/**
 * Reproducible benchmark corpus: English-like statement prose from a seeded
 * PRNG (same seed, same bytes, on any machine), at 20 KB / 200 KB / 2 MB,
 * each with three edits: 1% of words changed (scattered), one paragraph
 * inserted, 30% of paragraphs rewritten.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../tests/helpers/prng.js';

export { prng };


const FUNCTION_WORDS = 'the of and to in a that is for on with as by be are this it from at or which have has not will we our their its all'.split(' ');
const STEMS = (
  'government minister statement encryption access security public safety law enforcement agency council department ' +
  'policy framework provision technology company service platform citizen right privacy data protection evidence ' +
  'investigation court warrant partner nation commitment cooperation principle measure response report consultation ' +
  'committee treaty article obligation member state authority regulation oversight transparency accountability ' +
  'communication network provider user child exploitation terrorism crime threat capability infrastructure resilience ' +
  'budget funding programme strategy review assessment implementation guidance standard requirement procedure ' +
  'parliament legislation amendment clause schedule annex paragraph section decision resolution declaration'
).split(' ');
const VERBS = 'support require ensure protect consider address develop implement review recognise affirm agree welcome urge note commit enable limit assess'.split(' ');
const ADJS = 'strong lawful appropriate effective proportionate secure international national joint significant critical independent transparent necessary relevant'.split(' ');
const MONTHS = 'January February March April May June July August September October November December'.split(' ');

export class Prose {
  private readonly rnd: () => number;
  private readonly vocab: string[];

  constructor(seed: number) {
    this.rnd = prng(seed);
    // Derived words (stems with suffixes) give a long-tailed vocabulary like real documents.
    const suffixes = ['', 's', 'al', 'ing', 'ed', 'ly', 'ness', 'ment'];
    this.vocab = [];
    for (const s of STEMS) for (const x of suffixes) this.vocab.push(s + x);
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  /** Zipf-ish: low indices far more often. */
  private zipf<T>(xs: T[]): T {
    return xs[Math.floor(xs.length * this.rnd() ** 2.2)];
  }

  word(): string {
    const r = this.rnd();
    if (r < 0.42) return this.zipf(FUNCTION_WORDS);
    if (r < 0.52) return this.pick(VERBS);
    if (r < 0.6) return this.pick(ADJS);
    if (r < 0.615) return this.number();
    return this.zipf(this.vocab);
  }

  number(): string {
    const r = this.rnd();
    if (r < 0.3) return (1000 + Math.floor(this.rnd() * 99000)).toLocaleString('en-US');
    if (r < 0.5) return `${(this.rnd() * 100).toFixed(1)}%`;
    if (r < 0.7) return `${1 + Math.floor(this.rnd() * 28)} ${this.pick(MONTHS)} ${2015 + Math.floor(this.rnd() * 10)}`;
    return String(1 + Math.floor(this.rnd() * 60));
  }

  sentence(): string {
    const n = 8 + Math.floor(this.rnd() * 22);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      words.push(this.word());
      if (i > 2 && i < n - 2 && this.rnd() < 0.07) words[words.length - 1] += ',';
    }
    const s = words.join(' ');
    return s[0].toUpperCase() + s.slice(1) + (this.rnd() < 0.05 ? ';' : '.');
  }

  paragraph(): string {
    const n = 2 + Math.floor(this.rnd() * 6);
    return Array.from({ length: n }, () => this.sentence()).join(' ');
  }

  document(bytes: number): string[] {
    const paras: string[] = [];
    let size = 0;
    while (size < bytes) {
      const p = this.rnd() < 0.08 ? this.sentence().replace(/[.;]$/, '') : this.paragraph();
      paras.push(p);
      size += p.length + 2;
    }
    return paras;
  }

  random(): number {
    return this.rnd();
  }
}

export type EditKind = 'words1pct' | 'insertParagraph' | 'rewrite30pct';

/** The edited copy of `paras` for one edit kind (paras itself is not modified). */
export function edit(prose: Prose, paras: string[], kind: EditKind): string[] {
  const out = paras.slice();
  if (kind === 'insertParagraph') {
    out.splice(Math.floor(out.length / 2 + prose.random() * (out.length / 4)), 0, prose.paragraph());
    return out;
  }
  if (kind === 'rewrite30pct') {
    for (let i = 0; i < out.length; i++) {
      if (prose.random() >= 0.3) continue;
      // Most sentences replaced, the rest lightly edited: a rewrite, not a new document.
      out[i] = out[i]
        .split(/(?<=[.;]) /)
        .map((s) => (prose.random() < 0.7 ? prose.sentence() : s.replace(/\b[a-z]+\b/, () => prose.word())))
        .join(' ');
    }
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    const words = out[i].split(' ');
    const edited: string[] = [];
    for (const w of words) {
      const r = prose.random();
      if (r < 0.006) edited.push(prose.word());
      else if (r < 0.008) continue;
      else if (r < 0.01) edited.push(w, prose.word());
      else edited.push(w);
    }
    out[i] = edited.join(' ');
  }
  return out;
}

export interface CorpusCase {
  name: string;
  size: string;
  edit: EditKind;
  a: string;
  b: string;
}

export const SIZES: [string, number][] = [
  ['20 KB', 20_000],
  ['200 KB', 200_000],
  ['2 MB', 2_000_000],
];
export const EDITS: EditKind[] = ['words1pct', 'insertParagraph', 'rewrite30pct'];

/** Writes the 9 synthetic pairs under dir and returns their paths. Same seed, same files. */
export function writeCorpus(dir: string, seed = 20240601): CorpusCase[] {
  mkdirSync(dir, { recursive: true });
  const cases: CorpusCase[] = [];
  SIZES.forEach(([label, bytes], si) => {
    EDITS.forEach((kind, ei) => {
      const prose = new Prose(seed + si * 101 + ei * 7);
      const paras = prose.document(bytes);
      const edited = edit(prose, paras, kind);
      const name = `${label.replace(' ', '')}-${kind}`;
      const a = join(dir, `${name}.a.txt`);
      const b = join(dir, `${name}.b.txt`);
      writeFileSync(a, paras.join('\n\n') + '\n');
      writeFileSync(b, edited.join('\n\n') + '\n');
      cases.push({ name, size: label, edit: kind, a, b });
    });
  });
  return cases;
}
