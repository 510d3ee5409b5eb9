/**
 * Properties over random and real texts: the report rebuilds both inputs byte
 * for byte, `changed` is exactly "the words differ", and every
 * change's text really is in the input it claims to come from.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffText, rebuild, tokenize, type DiffReport } from '../../src/diff/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'statements');
const statements = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/**
 * The words of a text, dates taken apart: what "same wording" means. (A date
 * is one token, but "16 January 2023" and "16" + paragraph break +
 * "January 2023" are the same words re-flowed.)
 */
const words = (s: string): string[] =>
  tokenize(s).flatMap((t) => (t.kind === 'date' ? (t.text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []) : [t.text]));
const same = (x: string, y: string): boolean => words(x).join('\u0000') === words(y).join('\u0000');

function check(a: string, b: string, r: DiffReport): void {
  const back = rebuild(r);
  expect(back.before).toBe(a);
  expect(back.after).toBe(b);
  expect(rebuild(JSON.parse(JSON.stringify(r)) as DiffReport)).toEqual(back);
  // Different words are always a change; the same words are never one, except
  // where a date token was regrouped by a paragraph break. Then the changes
  // together remove and add the same words; not each one, as changes are cut at
  // paragraphs: "16 January 2023" → "16" ¶ "January 2023" is two changes.
  if (!same(a, b)) expect(r.changed).toBe(true);
  else expect(same(r.changes.map((c) => c.removed).join(' '), r.changes.map((c) => c.added).join(' '))).toBe(true);
  expect(r.alert).toBe(r.changed);
  for (const c of r.changes) {
    if (c.removed) expect(a.includes(c.removed)).toBe(true);
    if (c.added) expect(b.includes(c.added)).toBe(true);
    expect(c.removed !== '' || c.added !== '').toBe(true);
  }
}

const FRAGMENTS = [
  'the', 'of', 'encryption', 'lawful', 'access', 'must', 'should', 'not', 'Ministers', 'end-to-end', 'Facebook’s',
  '12,300', '14,000', '4.5%', '$1.2', '16 January 2023', 'October 3, 2017', '2019-2022',
  '.', ',', ';', '“', '”', '"', '(', ')', '—', '...', '😀', 'Заявление', '共同声明', 'é',
];
const SPACES = [' ', ' ', ' ', '  ', '\n', '\n\n', '\r\n', '\r\n\r\n', '\t', '\u00a0', '\n \n\n', ''];

const fragment = fc.constantFrom(...FRAGMENTS);
const space = fc.constantFrom(...SPACES);
const prose = fc.array(fc.tuple(fragment, space), { maxLength: 60 }).map((xs) => xs.map(([w, s]) => w + s).join(''));

/** An edited copy: token edits, whitespace changes, and paragraph moves, as real revisions do. */
const edit = (base: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.constant('replace' as const), fc.nat(), fragment),
        fc.tuple(fc.constant('insert' as const), fc.nat(), fragment),
        fc.tuple(fc.constant('delete' as const), fc.nat(), fragment),
        fc.tuple(fc.constant('space' as const), fc.nat(), space),
        fc.tuple(fc.constant('move' as const), fc.nat(), fragment),
      ),
      { maxLength: 8 },
    )
    .map((ops) => {
      let s = base;
      for (const [op, at, x] of ops) {
        const parts = s.split(/(\s+)/);
        const k = parts.length ? at % parts.length : 0;
        if (op === 'replace') parts[k] = x;
        else if (op === 'insert') parts.splice(k, 0, x, ' ');
        else if (op === 'delete') parts.splice(k, 1);
        else if (op === 'space') parts.splice(k, 0, x);
        else {
          const paras = s.split('\n\n');
          if (paras.length > 1) paras.push(paras.splice(at % paras.length, 1)[0]);
          s = paras.join('\n\n');
          continue;
        }
        s = parts.join('');
      }
      return s;
    });

describe('round trip and invariants', () => {
  it('holds for random prose and an edited copy', () => {
    fc.assert(
      fc.property(prose.chain((a) => fc.tuple(fc.constant(a), edit(a))), ([a, b]) => check(a, b, diffText(a, b))),
      { numRuns: 400 },
    );
  });

  it('holds where a paragraph break lands inside a date (found by the property above in CI)', () => {
    const a = '...\t16 January 2023 2019-2022\r\n“ ... 2019-2022\n\n';
    const b = '...16\n \n\n January 2023 2019-2022\r\n“ ... 2019-2022\n\n';
    const r = diffText(a, b);
    check(a, b, r);
    expect(r.changes.map((c) => [c.removed, c.added])).toEqual([['16 January 2023', '16'], ['', 'January 2023']]);
  });

  it('holds for unrelated random prose, also with tiny search limits that force degradation', () => {
    fc.assert(
      fc.property(prose, prose, fc.integer({ min: 1, max: 12 }), (a, b, maxEditLength) => {
        check(a, b, diffText(a, b));
        check(a, b, diffText(a, b, { maxEditLength, contextWords: 0 }));
      }),
      { numRuns: 300 },
    );
  });

  it('holds for arbitrary Unicode strings, lone surrogates and control characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), (a, b) => check(a, b, diffText(a, b))),
      { numRuns: 300 },
    );
  });

  it('holds for the real statement texts, pairwise and with random edits', () => {
    for (let i = 0; i < statements.length; i++) {
      for (let j = 0; j < statements.length; j++) check(statements[i], statements[j], diffText(statements[i], statements[j]));
    }
    fc.assert(
      fc.property(
        fc.constantFrom(...statements).chain((a) => fc.tuple(fc.constant(a), edit(a))),
        ([a, b]) => check(a, b, diffText(a, b)),
      ),
      { numRuns: 150 },
    );
  });
});
