import { describe, expect, it } from 'vitest';
import { assessSignificance, listRules, mergeThresholds, refineReport, registerRule } from '../../src/analyze/index.js';
import type { AssessOptions } from '../../src/analyze/types.js';
import { fixtureText } from './fixtures.js';
import { makeReport } from './make-report.js';

const WATCH = ['encryption', 'lawful access', 'backdoor'];

function assess(before: string, after: string, opts: Partial<AssessOptions> = {}) {
  return assessSignificance(before, after, makeReport(before, after), { watchTerms: WATCH, ...opts });
}

const P = (...paragraphs: string[]) => paragraphs.join('\n\n');

describe('assessSignificance messages', () => {
  it('names a weakened modal with its paragraph', () => {
    const before = P('Title', 'Intro text here.', 'Second paragraph.', 'Companies must ensure that users are safe.');
    const a = assess(before, before.replace('must ensure', 'should ensure'));
    expect(a.alert).toBe(true);
    expect(a.level).toBe('high');
    expect(a.reasons.map((r) => r.message)).toContain('modality weakened: "must" → "should" (paragraph 4)');
    expect(a.reasons[0].change).toBe(0);
  });

  it('quotes a dropped negation with the words it governed', () => {
    const before = P('We have no interest or intention to weaken encryption.');
    const a = assess(before, P('We have to weaken encryption.'));
    expect(a.reasons.find((r) => r.rule === 'negation')?.message).toBe(
      'negation dropped: "no interest or intention to weaken encryption" → "… to weaken encryption" (paragraph 1)',
    );
  });

  it('names an added signatory, and a removed one, using the country package names and aliases', () => {
    const page = fixtureText('e2eePage');
    const added = assess(page, page.replace('• Jordan', '• Jordan\n\n• the Republic of Korea'));
    expect(added.reasons.map((r) => r.message)).toContain('signatory added: Republic of Korea (paragraph 21)');
    const letter = fixtureText('letter');
    const dropped = assess(letter, letter.replace('the US, UK, Australia, New Zealand, and Canada', 'the US, UK, Australia, and Canada'));
    expect(dropped.reasons.some((r) => r.message.startsWith('signatory removed: New Zealand'))).toBe(true);
  });

  it('reports cosmetic-only changes as cosmetic, level none, no alert', () => {
    const before = P('“We support strong encryption,” said the minister – again.');
    const a = assess(before, P('"We Support strong encryption", said the minister - again.'));
    expect(a).toMatchObject({ level: 'none', alert: false, cosmetic: true });
    expect(a.reasons[0].message).toBe('cosmetic: quote marks, dashes, case only (paragraph 1)');
  });

  it('treats a text without changes as level none with no reasons', () => {
    const text = fixtureText('fcm2018');
    expect(assess(text, text)).toEqual({ level: 'none', alert: false, reasons: [], cosmetic: false });
  });

  it('gives every change of the report at least one reason', () => {
    const letter = fixtureText('letter');
    const after = letter.replace('16.8 million', '18.6 million').replace('We will take', 'We may take').split('’').join("'");
    const report = makeReport(letter, after);
    const a = assessSignificance(letter, after, report, { watchTerms: WATCH });
    const covered = new Set(a.reasons.flatMap((r) => r.changes ?? (r.change === undefined ? [] : [r.change])));
    report.changes.forEach((_, i) => expect(covered.has(i), `change ${i} has no reason`).toBe(true));
  });

  it('quotes page text safely: control characters removed, long text shortened', () => {
    const hostile = `Intro.\n\nThe minister\u001b[31m said \u202ethat ${'very '.repeat(60)}long things happen here.`;
    const a = assess('Intro.', hostile);
    const msg = a.reasons.find((r) => r.rule === 'sentence')!.message;
    expect(msg).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(msg.length).toBeLessThan(220);
  });
});

describe('thresholds and rule registry', () => {
  const before = P('The figure was 12,300 staff.');
  const after = P('The figure was 14,000 staff.');

  it('turns a rule off, changes its level, and moves the alert threshold', () => {
    expect(assess(before, after).alert).toBe(true);
    const off = assess(before, after, { thresholds: { rules: { numbers: { enabled: false } } } });
    expect(off.reasons.map((r) => r.rule)).toEqual(['wording']);
    const low = assess(before, after, { thresholds: { rules: { numbers: { level: 'low' } } } });
    expect(low).toMatchObject({ level: 'low', alert: false });
    const strict = assess(before, after, { thresholds: { alertAt: 'high' } });
    expect(strict).toMatchObject({ level: 'medium', alert: false });
  });

  it('passes rule parameters (sentence minWords)', () => {
    const b = P('First paragraph of the statement.');
    const a = P('First paragraph of the statement.', 'Impact on public safety');
    expect(assess(b, a).level).toBe('low');
    expect(assess(b, a, { thresholds: { rules: { sentence: { minWords: 3 } } } }).level).toBe('medium');
  });

  it('rejects a threshold for a rule that does not exist, naming the known rules', () => {
    expect(() => assess(before, after, { thresholds: { rules: { modalty: { enabled: false } } } })).toThrow(/thresholds\.rules\.modalty: no significance rule.*modality/);
  });

  it('layers thresholds: later layers win per rule and parameter', () => {
    const merged = mergeThresholds(
      { alertAt: 'medium', rules: { sentence: { minWords: 4, level: 'medium' } } },
      undefined,
      { rules: { sentence: { minWords: 2 } } },
      { alertAt: 'high' },
    );
    expect(merged).toEqual({ alertAt: 'high', rules: { sentence: { minWords: 2, level: 'medium' } } });
  });

  it('registers a custom rule by name and refuses a duplicate name', () => {
    const names = listRules().map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['cosmetic', 'capture-date', 'counter', 'boilerplate', 'negation', 'modality', 'qualification', 'numbers', 'parties', 'watch-terms', 'sentence', 'links', 'silent-edit']));
    registerRule({ kind: 'content', name: 'test-exclamation', description: 'exclamation added', level: 'high', run: (u) => (u.after.includes('!') && !u.before.includes('!') ? [{ message: 'exclamation added' }] : []) });
    const a = assess(P('We act.'), P('We act!'));
    expect(a.reasons.map((r) => r.rule)).toContain('test-exclamation');
    expect(a.alert).toBe(true);
    expect(() => registerRule({ kind: 'content', name: 'modality', description: '', level: 'low', run: () => [] })).toThrow(/already registered/);
  });

  it('refineReport sets alert and significance on the report', () => {
    const report = makeReport(before, after.replace('14,000', '12,300').replace('staff', 'staff '));
    const assessment = assessSignificance(before, after, makeReport(before, after), { watchTerms: [] });
    const refined = refineReport(report, { ...assessment, alert: false });
    expect(refined.alert).toBe(false);
    expect(refined.significance.reasons.length).toBeGreaterThan(0);
    expect(refined.changes).toBe(report.changes);
  });
});

describe('noise', () => {
  it('a date equal to the capture date is noise; the same edit without a capture date is not', () => {
    const before = P('Today: 4 October 2019', 'We support strong encryption.');
    const after = P('Today: 5 October 2019', 'We support strong encryption.');
    expect(assess(before, after, { captureDate: '2019-10-05T09:00:00Z' })).toMatchObject({ alert: false, level: 'none' });
    expect(assess(before, after).alert).toBe(true);
  });

  it('the real DOE homepage news rotation does not alert; the real FEMA update does, with its figures', () => {
    const doe = assess(fixtureText('doeA'), fixtureText('doeB'));
    expect(doe.alert).toBe(false);
    expect(doe.reasons.every((r) => r.rule === 'boilerplate' || r.level === 'none')).toBe(true);
    const fema = assess(fixtureText('femaA'), fixtureText('femaB'), { captureDate: '2017-10-05T16:00:00Z' });
    expect(fema.alert).toBe(true);
    const messages = fema.reasons.map((r) => r.message).join('\n');
    expect(messages).toMatch(/figure changed: "12,300" → "14,000"/);
    expect(messages).toMatch(/figure changed: "18" → "19"/);
    expect(messages).toMatch(/figure changed: "62" → "64"/);
  });
});
