import { describe, expect, it } from 'vitest';
import { assessSignificance, detectSilentEdit } from '../../src/analyze/index.js';
import type { PageDeclarations } from '../../src/analyze/types.js';
import { makeReport } from './make-report.js';

// As the GOV.UK landing page of the 2020 statement declares itself (tests/fixtures/statements).
const GOVUK: PageDeclarations = {
  declared: {
    published: '11 October 2020',
    modified: '16 January 2023',
    changeNotes: [
      { date: '16 January 2023', note: 'Statement updated to show Singapore, Georgia, Ecuador and Jordan as additional signatories.' },
      { date: '11 October 2020', note: 'First published.' },
    ],
  },
  lastModified: 'Mon, 16 Jan 2023 10:00:00 GMT',
};

describe('detectSilentEdit', () => {
  it('flags a text change with no new declared date or change note', () => {
    const r = detectSilentEdit({ prev: GOVUK, cur: { ...GOVUK, lastModified: 'Tue, 17 Jan 2023 08:00:00 GMT' }, textChanged: true });
    expect(r.kind).toBe('silent-edit');
    expect(r.message).toMatch(/no new update date or change note \(it still says 16 January 2023\)/);
  });

  it('accepts a text change that comes with a new change note and date', () => {
    const cur: PageDeclarations = {
      declared: {
        ...GOVUK.declared,
        modified: '2 March 2023',
        changeNotes: [{ date: '2 March 2023', note: 'Added the Republic of Korea as a signatory.' }, ...GOVUK.declared!.changeNotes!],
      },
    };
    const r = detectSilentEdit({ prev: GOVUK, cur, textChanged: true });
    expect(r.kind).toBeNull();
    expect(r.message).toContain('Added the Republic of Korea');
  });

  it('flags a declared update (article:modified_time moved) with no change to the statement', () => {
    const prev: PageDeclarations = { declared: { published: '2020-10-11T09:00:00Z', modified: '2020-10-11T09:00:00Z' } };
    const cur: PageDeclarations = { declared: { published: '2020-10-11T09:00:00Z', modified: '2020-11-02T14:30:00Z' } };
    const r = detectSilentEdit({ prev, cur, textChanged: false });
    expect(r.kind).toBe('declared-update-without-change');
    expect(r.message).toContain('2020-10-11T09:00:00Z → 2020-11-02T14:30:00Z');
  });

  it('treats the same moment written differently as no declared update', () => {
    const prev: PageDeclarations = { declared: { modified: '2023-01-16T10:00:00Z' } };
    const cur: PageDeclarations = { declared: { modified: '2023-01-16T10:00:00.000+00:00' } };
    expect(detectSilentEdit({ prev, cur, textChanged: false }).kind).toBeNull();
  });

  it('uses HTTP Last-Modified only when the page declares nothing itself', () => {
    const same = 'Wed, 04 Oct 2017 10:00:00 GMT';
    expect(detectSilentEdit({ prev: { lastModified: same }, cur: { lastModified: same }, textChanged: true }).kind).toBe('silent-edit');
    expect(detectSilentEdit({ prev: { lastModified: same }, cur: { lastModified: 'Thu, 05 Oct 2017 09:00:00 GMT' }, textChanged: true }).kind).toBeNull();
    // A dynamic server's fresh Last-Modified without a text change is not a declared update.
    expect(detectSilentEdit({ prev: { lastModified: same }, cur: { lastModified: 'Thu, 05 Oct 2017 09:00:00 GMT' }, textChanged: false }).kind).toBeNull();
    const none = detectSilentEdit({ prev: {}, cur: {}, textChanged: true });
    expect(none.kind).toBeNull();
    expect(none.message).toMatch(/declares no update dates/);
  });

  it('has nothing to compare on the first version', () => {
    expect(detectSilentEdit({ cur: GOVUK, textChanged: true }).kind).toBeNull();
  });
});

describe('silent edits in the significance report', () => {
  const before = 'We support strong encryption.\n\nThe statement was signed by 11 governments.';
  it('puts a silent edit into the reasons and the alert', () => {
    const after = before.replace('signed by 11', 'signed by 11 ');
    const typo = before.replace('support', 'suport');
    const a = assessSignificance(before, typo, makeReport(before, typo), { watchTerms: [], declarations: { prev: GOVUK, cur: GOVUK } });
    expect(a.reasons.map((r) => r.rule)).toContain('silent-edit');
    expect(a.alert).toBe(true);
    // Whitespace is no wording change, so it is no silent edit either.
    const ws = assessSignificance(before, after, makeReport(before, after), { watchTerms: [], declarations: { prev: GOVUK, cur: GOVUK } });
    expect(ws.reasons.map((r) => r.rule)).not.toContain('silent-edit');
  });

  it('reports a declared update without a text change', () => {
    const cur: PageDeclarations = { declared: { ...GOVUK.declared, changeNotes: [{ date: '1 May 2023', note: 'Added Welsh translation.' }, ...GOVUK.declared!.changeNotes!] } };
    const a = assessSignificance(before, before, makeReport(before, before), { watchTerms: [], declarations: { prev: GOVUK, cur } });
    expect(a.reasons).toEqual([{ rule: 'silent-edit', message: expect.stringContaining('Added Welsh translation'), level: 'medium' }]);
    expect(a.alert).toBe(true);
  });
});
