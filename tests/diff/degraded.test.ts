import { describe, expect, it } from 'vitest';
import { diffText, rebuild } from '../../src/diff/index.js';
import { prng } from '../../bench/corpus.js';

/** Random "words" from a small shared vocabulary: plenty of equal tokens, no structure to anchor on. */
function noise(seed: number, bytes: number, paragraphEvery = 0): string {
  const v = prng(7);
  const vocab = Array.from({ length: 50 }, () => Array.from({ length: 2 + Math.floor(v() * 6) }, () => String.fromCharCode(97 + Math.floor(v() * 26))).join(''));
  const r = prng(seed);
  const out: string[] = [];
  let n = 0;
  for (let w = 1; n < bytes; w++) {
    const word = vocab[Math.floor(r() * vocab.length)];
    out.push(word);
    n += word.length + 1;
    if (paragraphEvery && w % paragraphEvery === 0) out.push('\n\n');
  }
  return out.join(' ');
}

describe('diffText: bounded work on pathological input', () => {
  it('degrades on two 2 MB random texts with nothing to anchor on, says so, and still rebuilds both', () => {
    const a = noise(1, 2_000_000);
    const b = noise(2, 2_000_000);
    const rssBefore = process.memoryUsage().rss;
    const r = diffText(a, b);
    expect(r.degraded).toBe(true);
    expect(r.degradedReason).toMatch(/compared more coarsely than word by word/);
    expect(r.degradedRegions?.length).toBeGreaterThan(0);
    expect(r.degradedRegions?.[0]).toMatchObject({ beforeParagraphs: [0, 0], afterParagraphs: [0, 0] });
    expect(r.changed).toBe(true);
    // Linear-space search: memory grows with the input, not with its square.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(600 * 1024 * 1024);
    const back = rebuild(r);
    expect(back.before === a && back.after === b).toBe(true);
  }, 60_000);

  it('degrades the same input split into paragraphs, naming the paragraph ranges', () => {
    const a = noise(3, 200_000, 60);
    const b = noise(4, 200_000, 60);
    const r = diffText(a, b);
    expect(r.degraded).toBe(true);
    for (const region of r.degradedRegions ?? []) expect(['sentence', 'paragraph']).toContain(region.granularity);
    const back = rebuild(r);
    expect(back.before === a && back.after === b).toBe(true);
  }, 60_000);

  it('falls back when maxEditLength is exceeded, and not when it is not', () => {
    const a = noise(5, 3_000);
    const b = noise(6, 3_000);
    const tight = diffText(a, b, { maxEditLength: 8 });
    expect(tight.degraded).toBe(true);
    expect(tight.degradedReason).toMatch(/maxEditLength 8/);
    expect(rebuild(tight)).toEqual({ before: a, after: b });
    const roomy = diffText('alpha beta gamma delta', 'alpha beta GAMMA delta', { maxEditLength: 8 });
    expect(roomy.degraded).toBe(false);
  });

  it('stops word-diffing when the time budget is spent and reports the time budget as the reason', () => {
    const a = 'One paragraph with a figure of 12,300 staff.\n\nAnother with 36 departments.';
    const b = 'One paragraph with a figure of 14,000 staff.\n\nAnother with 38 departments.';
    const r = diffText(a, b, { budgetMs: 0 });
    expect(r.degraded).toBe(true);
    expect(r.degradedReason).toMatch(/time budget/);
    expect(r.changed).toBe(true);
    expect(rebuild(r)).toEqual({ before: a, after: b });
  });

  it('needs no search at all for reflow, so even a zero budget leaves it undegraded', () => {
    const r = diffText('a b c\n\nd e f', 'a b\nc\n\n\nd e f\n', { budgetMs: 0 });
    expect(r).toMatchObject({ degraded: false, changed: false });
  });
});
