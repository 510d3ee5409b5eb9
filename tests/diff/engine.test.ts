import { describe, expect, it } from 'vitest';
import { diffText, rebuild, type DiffReport } from '../../src/diff/index.js';

function roundTrips(a: string, b: string, r: DiffReport): void {
  const back = rebuild(r);
  expect(back.before).toBe(a);
  expect(back.after).toBe(b);
}

describe('diffText: basics', () => {
  it('reports identical texts as unchanged, with a one-entry script', () => {
    const a = 'One.\n\nTwo.';
    const r = diffText(a, a);
    expect(r).toMatchObject({ changed: false, alert: false, degraded: false, identical: true, changes: [] });
    expect(r.script).toEqual([['=', a]]);
    expect(diffText('', '').script).toEqual([]);
  });

  it('reports a replaced figure as exactly that figure, with context and paragraph index', () => {
    const a = 'Update.\n\nThere are more than 12,300 federal staff on the ground.';
    const b = 'Update.\n\nThere are more than 14,000 federal staff on the ground.';
    const r = diffText(a, b);
    expect(r.changed).toBe(true);
    expect(r.alert).toBe(true);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({
      kind: 'replace',
      removed: '12,300',
      added: '14,000',
      beforeParagraph: 1,
      afterParagraph: 1,
      contextBefore: 'There are more than ',
      contextAfter: ' federal staff on the ground.',
    });
    expect(r.changes[0].context).toBe('There are more than 14,000 federal staff on the ground.');
    expect(r.changes[0].segments.map((s) => s.op)).toEqual(['equal', 'delete', 'insert', 'equal']);
    expect(r.stats).toEqual({ wordsAdded: 1, wordsRemoved: 1, wordsMoved: 0, paragraphsChanged: 1 });
    roundTrips(a, b, r);
  });

  it('honours contextWords', () => {
    const r = diffText('a b c d e f g h', 'a b c d X f g h', { contextWords: 2 });
    expect(r.changes[0].contextBefore).toBe('c d ');
    expect(r.changes[0].contextAfter).toBe(' f g');
  });

  it('reports an inserted paragraph as one insert of the whole paragraph', () => {
    const a = 'First paragraph here.\n\nThird paragraph here.';
    const b = 'First paragraph here.\n\nA new second paragraph.\n\nThird paragraph here.';
    const r = diffText(a, b);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'insert', added: 'A new second paragraph.', removed: '', afterParagraph: 1 });
    expect(r.changes[0].beforeParagraph).toBeUndefined();
    expect(r.stats.wordsAdded).toBe(4);
    roundTrips(a, b, r);
  });

  it('reports a deleted paragraph as one delete', () => {
    const a = 'Keep one.\n\nDrop this paragraph entirely.\n\nKeep two.';
    const b = 'Keep one.\n\nKeep two.';
    const r = diffText(a, b);
    expect(r.changes).toEqual([expect.objectContaining({ kind: 'delete', removed: 'Drop this paragraph entirely.', beforeParagraph: 1 })]);
    expect(r.stats).toMatchObject({ wordsRemoved: 4, wordsAdded: 0, paragraphsChanged: 1 });
    roundTrips(a, b, r);
  });

  it('counts punctuation-only edits as wording changes', () => {
    const r = diffText('We must act.', 'We must act!');
    expect(r.changes).toEqual([expect.objectContaining({ kind: 'replace', removed: '.', added: '!' })]);
    expect(r.alert).toBe(true);
  });

  it('shows a changed date as the whole date', () => {
    const r = diffText('Last updated 16 January 2023.', 'Last updated 17 February 2023.');
    expect(r.changes.map((c) => [c.removed, c.added])).toEqual([['16 January 2023', '17 February 2023']]);
  });

  it('shows a dropped negation as its own word', () => {
    const r = diffText('Companies should not design systems that preclude access.', 'Companies should design systems that preclude access.');
    expect(r.changes).toEqual([expect.objectContaining({ kind: 'delete', removed: 'not', beforeParagraph: 0, afterParagraph: 0 })]);
  });

  it('shows a rewritten sentence as one replacement, not confetti of common words', () => {
    const a = 'Intro stays.\n\nThe ministers of the five countries agreed on the need for lawful access to the content of communications.';
    const b = 'Intro stays.\n\nIn a joint statement the governments of the partners called for an end to the use of warrant-proof encryption.';
    const r = diffText(a, b);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0].kind).toBe('replace');
    roundTrips(a, b, r);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => diffText('a', 'b', { maxEditLength: 0 })).toThrow(/maxEditLength/);
    expect(() => diffText('a', 'b', { contextWords: 1.5 })).toThrow(/contextWords/);
    expect(() => diffText('a', 'b', { budgetMs: Number.NaN })).toThrow(/budgetMs/);
    expect(() => diffText(1 as unknown as string, 'b')).toThrow(/strings/);
  });
});

describe('diffText: reflow and whitespace are not changes', () => {
  const base = 'We support strong encryption, which is used by billions of people every day.\n\nWe also respect promises made by technology companies to protect users’ data.';

  it('treats re-wrapped lines as no change, but still rebuilds both texts', () => {
    const wrapped = 'We support strong encryption, which is used\nby billions of people every day.\n\nWe also respect promises made by\ntechnology companies to protect users’ data.\n';
    const r = diffText(base, wrapped);
    expect(r).toMatchObject({ changed: false, alert: false, identical: false, changes: [] });
    expect(r.stats.paragraphsChanged).toBe(0);
    roundTrips(base, wrapped, r);
  });

  it('treats CRLF, tabs, double spaces and extra blank lines as no change', () => {
    const messy = '  We support  strong encryption,\twhich is used by billions of people every day.\r\n\r\n\r\nWe also respect promises made by technology companies to protect users’ data.\r\n';
    const r = diffText(base, messy);
    expect(r.changed).toBe(false);
    roundTrips(base, messy, r);
  });

  it('treats a paragraph split or merge as no change of wording', () => {
    const merged = base.replace('\n\n', ' ');
    const r = diffText(base, merged);
    expect(r.changed).toBe(false);
    expect(r.paragraphs).toEqual({ before: 2, after: 1 });
    roundTrips(base, merged, r);
  });

  it('finds the one real edit inside reflowed text', () => {
    const edited = 'We support strong encryption, which is used\nby millions of people every day.\n\nWe also respect promises made by\ntechnology companies to protect users’ data.';
    const r = diffText(base, edited);
    expect(r.changes.map((c) => [c.kind, c.removed, c.added])).toEqual([['replace', 'billions', 'millions']]);
    roundTrips(base, edited, r);
  });
});

describe('diffText: moves', () => {
  const p1 = 'The first paragraph sets out the principles of the statement.';
  const p2 = 'The second paragraph lists the governments that signed it.';
  const p3 = 'The third paragraph explains what the ministers expect from industry.';
  const p4 = 'The fourth paragraph closes with a call for cooperation.';

  it('reports a paragraph moved unchanged as one move, with the script marking both ends', () => {
    const a = [p1, p2, p3, p4].join('\n\n');
    const b = [p1, p3, p4, p2].join('\n\n');
    const r = diffText(a, b);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'move', removed: p2, added: p2, beforeParagraph: 1, afterParagraph: 3 });
    expect(r.stats.wordsMoved).toBe(9);
    expect(r.stats.wordsAdded + r.stats.wordsRemoved).toBe(0);
    const ends = r.script?.filter(([op]) => op === '<' || op === '>');
    expect(ends).toEqual([
      ['<', p2, 0],
      ['>', p2, 0],
    ]);
    roundTrips(a, b, r);
  });

  it('reports a paragraph moved and edited as a move with its inner edits', () => {
    const a = [p1, p2, p3, p4].join('\n\n');
    const edited = p2.replace('governments', 'eleven governments');
    const b = [edited, p1, p3, p4].join('\n\n');
    const r = diffText(a, b);
    const moves = r.changes.filter((c) => c.kind === 'move');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ removed: p2, added: edited });
    expect(moves[0].segments.filter((s) => s.op === 'insert').map((s) => s.text.trim())).toEqual(['eleven']);
    expect(r.changes.filter((c) => c.kind !== 'move')).toEqual([]);
    expect(r.stats).toMatchObject({ wordsAdded: 1, wordsRemoved: 0 });
    roundTrips(a, b, r);
  });

  it('does not call a short repeated line a move', () => {
    const a = ['Background', p1, p2].join('\n\n');
    const b = [p1, 'Background', p2].join('\n\n');
    const r = diffText(a, b);
    expect(r.changes.some((c) => c.kind === 'move')).toBe(false);
    roundTrips(a, b, r);
  });
});
