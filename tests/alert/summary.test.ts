import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flavors, renderExcerpt } from '../../src/alert/excerpt.js';
import { composeMessage } from '../../src/alert/message.js';
import { summarize } from '../../src/alert/summary.js';
import type { Change, DiffReport } from '../../src/diff/types.js';
import { bigReport, hostileAlert, makeAlert, mustShouldReport } from './helpers.js';

function report(changes: Change[], degraded = false): DiffReport {
  return { changed: changes.length > 0, alert: true, degraded, stats: { wordsAdded: 0, wordsRemoved: 0, wordsMoved: 0, paragraphsChanged: changes.length }, changes };
}

describe('summarize', () => {
  it('names the words, the paragraph (1-based) and the first edit', () => {
    expect(summarize(mustShouldReport())).toBe("2 words changed in paragraph 4: 'must not' → 'should'");
  });

  it('counts a replaced word once and spans several paragraphs', () => {
    const a: Change = { kind: 'replace', removed: 'must', added: 'should', context: '', beforeParagraph: 1, afterParagraph: 1, segments: [{ op: 'equal', text: 'We ' }, { op: 'delete', text: 'must' }, { op: 'insert', text: 'should' }] };
    const b: Change = { kind: 'insert', removed: '', added: 'not', context: '', beforeParagraph: 6, afterParagraph: 6, segments: [{ op: 'equal', text: 'do ' }, { op: 'insert', text: 'not ' }, { op: 'equal', text: 'act' }] };
    expect(summarize(report([a, b]))).toBe("2 words changed in 2 paragraphs (2, 7): 'must' → 'should'");
    expect(summarize(report([b]))).toBe("1 word changed in paragraph 7: added 'not'");
  });

  it('reports whole paragraphs added, removed and moved', () => {
    const add: Change = { kind: 'insert', removed: '', added: 'Japan and India also endorse this statement.', context: '', afterParagraph: 5, segments: [] };
    const del: Change = { kind: 'delete', removed: 'Old paragraph.', added: '', context: '', beforeParagraph: 2, segments: [] };
    const move: Change = { kind: 'move', removed: 'Moved.', added: 'Moved.', context: '', beforeParagraph: 1, afterParagraph: 4, segments: [] };
    expect(summarize(report([add]))).toBe("Paragraph 6 added: 'Japan and India also endorse this…'");
    expect(summarize(report([add, add, del]))).toBe('2 paragraphs added; 1 paragraph removed');
    expect(summarize(report([move]))).toBe('Paragraph 2 moved to 5');
    expect(summarize(report([add], true))).toMatch(/\(coarse diff/);
    expect(summarize(report([]))).toBe('No change in wording');
  });

  it('describes removal, failure and recovery from the failure info', () => {
    const failure = { checks: 3, since: '2024-05-01T09:30:12Z', status: 404 };
    expect(summarize(makeAlert({ event: 'removed', failure, report: undefined }))).toBe('Statement removed (HTTP 404 on 3 checks since 2024-05-01 09:30 UTC)');
    expect(summarize(makeAlert({ event: 'failing', failure: { checks: 5, since: '2024-05-01T00:00:00Z', error: 'connect ETIMEDOUT\n10.0.0.1' }, report: undefined }))).toBe(
      'Source failing: connect ETIMEDOUT 10.0.0.1 on 5 checks in a row since 2024-05-01 00:00 UTC',
    );
    expect(summarize(makeAlert({ event: 'recovered', failure: { checks: 4, since: '2024-05-01T00:00:00Z' }, report: undefined }))).toBe('Source recovered after 4 failed checks since 2024-05-01 00:00 UTC');
    expect(summarize(makeAlert({ event: 'restored' }))).toBe("Statement back after removal; 2 words changed in paragraph 4: 'must not' → 'should'");
  });

  it('keeps control and bidi-override characters out of the line', () => {
    const s = summarize(hostileAlert());
    expect(s).not.toMatch(/[\u0000\u202E\n]/);
    expect(s).toContain("'safe' → '<script>");
  });
});

describe('excerpt', () => {
  it('marks deletions and insertions in each markup', () => {
    const r = mustShouldReport();
    expect(renderExcerpt(r, flavors.text, { maxChars: 1000 }).text).toBe('¶ 4: Tech companies [-must not-] {+should+} design their systems to preclude lawful access to …');
    expect(renderExcerpt(r, flavors.md, { maxChars: 1000 }).text).toContain('~~must not~~ **should**');
    expect(renderExcerpt(r, flavors.slack, { maxChars: 1000 }).text).toContain('~must not~ *should*');
    const $ = cheerio.load(renderExcerpt(r, flavors.html, { maxChars: 1000 }).text);
    expect($('del').text()).toBe('must not');
    expect($('ins').text()).toBe('should');
  });

  it('escapes hostile page text in every flavor', () => {
    const r = hostileAlert().report;
    const html = renderExcerpt(r, flavors.html, { maxChars: 5000 }).text;
    const $ = cheerio.load(html);
    expect($('script, img').length).toBe(0);
    expect($('ins').text()).toContain('<script>alert(1)</script>');
    expect(html).not.toContain(']]>');
    const md = renderExcerpt(r, flavors.md, { maxChars: 5000 }).text;
    expect(md).toContain('\\[x\\]\\(javascript:alert\\(3\\)\\)');
    expect(md).not.toContain('@everyone');
    const slack = renderExcerpt(r, flavors.slack, { maxChars: 5000 }).text;
    expect(slack).toContain('&lt;!channel&gt;');
    expect(slack).not.toContain('<!channel>');
    expect(html + md + slack).not.toMatch(/[\u202E\u0000]/);
  });

  it('stays within the limit and says how many changes it left out', () => {
    const r = bigReport(40);
    for (const flavor of Object.values(flavors)) {
      const ex = renderExcerpt(r, flavor, { maxChars: 2000 });
      expect(ex.text.length).toBeLessThanOrEqual(2000);
      expect(ex.shown).toBeGreaterThan(0);
      expect(ex.shown).toBeLessThan(40);
      expect(ex.text).toContain(`${40 - ex.shown} more changes not shown`);
    }
  });

  it('property: HTML excerpts of arbitrary page text contain only the markup Redline adds', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ op: fc.constantFrom('equal', 'insert', 'delete'), text: fc.string({ maxLength: 60 }) }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 200, max: 3000 }), (segments, max) => {
        const r = report([{ kind: 'replace', removed: '', added: '', context: '', beforeParagraph: 0, afterParagraph: 0, segments: segments as Change['segments'] }]);
        const html = renderExcerpt(r, flavors.html, { maxChars: max }).text;
        expect(html.length).toBeLessThanOrEqual(max);
        const $ = cheerio.load(html, null, false);
        const tags = new Set($('*').toArray().map((el) => (el as { tagName: string }).tagName));
        for (const t of tags) expect(['p', 'b', 'del', 'ins']).toContain(t);
      }),
      { numRuns: 200 },
    );
  });
});

describe('composeMessage', () => {
  it('puts the summary first, then the excerpt, then the links', () => {
    const text = composeMessage(makeAlert(), flavors.text, { maxChars: 2000 }).text;
    const s = text.indexOf("2 words changed in paragraph 4");
    const e = text.indexOf('[-must not-]');
    const l = text.indexOf('Full diff: https://redline.example.org/diff/five-eyes-2020/1..2');
    expect(s).toBe(0);
    expect(e).toBeGreaterThan(s);
    expect(l).toBeGreaterThan(e);
    expect(text).toContain('Significance: high — modal weakened');
  });

  it('keeps the links when the diff is too big for the limit', () => {
    const text = composeMessage(makeAlert({ report: bigReport(30) }), flavors.md, { maxChars: 1500 }).text;
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text).toContain('[Full diff](https://redline.example.org/diff/five-eyes-2020/1..2)');
  });

  it('shows a CLI command as the place to see the whole when there is no URL', () => {
    const text = composeMessage(makeAlert({ links: { diff: 'redline diff five-eyes-2020 1 2' } }), flavors.text, { maxChars: 2000 }).text;
    expect(text).toContain('Full diff: redline diff five-eyes-2020 1 2');
  });
});
