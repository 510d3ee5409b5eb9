import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { autoColor, diffText, escapeMarkdown, rebuild, render, type DiffReport } from '../../src/diff/index.js';

const HOSTILE_A = 'Statement on access.\n\nThe text <script>alert(1)</script> and "quote" stay.\n\nA link [x](http://evil.example) here.';
const HOSTILE_B =
  'Statement on access.\n\nThe text <script>alert(2)</script> and "quote" stay. <img src=x onerror="alert(3)"> \' onmouseover=\'x\n\nA link [y](http://evil.example) here @everyone *now*\n# not a heading.';

const report = diffText(HOSTILE_A, HOSTILE_B);

function checkHtml(html: string): void {
  const $ = cheerio.load(html);
  expect($('script').length).toBe(0);
  expect($('img').length).toBe(0);
  expect($('[onerror], [onmouseover]').length).toBe(0);
  // Page text survives as text.
  expect($('main').text()).toContain('<script>alert(');
  expect($('main').text()).toContain('<img src=x onerror="alert(3)">');
  // Self-contained: nothing is loaded from anywhere.
  expect($('[src], link, iframe, object, embed, base, form').length).toBe(0);
  expect($('style').text()).not.toMatch(/url\(|@import/i);
  expect($('a[href]').toArray().every((a) => ($(a).attr('href') ?? '').startsWith('#'))).toBe(true);
  expect($('meta[http-equiv="Content-Security-Policy"]').attr('content')).toContain("default-src 'none'");
}

describe('render: html (inline redline)', () => {
  it('escapes page content, including attribute-breaking quotes, and loads nothing', () => {
    const html = render(report, 'html', { title: 'Title "><script>x</script>', beforeLabel: 'v1 <b>', afterLabel: "v2 ' onfocus='x" });
    checkHtml(html);
    const $ = cheerio.load(html);
    expect($('title').text()).toBe('Title "><script>x</script>');
    expect($('.labels').text()).toBe("v1 <b> → v2 ' onfocus='x");
    expect($('del').first().text()).toBe('1');
    expect($('ins').first().text()).toBe('2');
  });

  it('shows the new text in full, paragraph by paragraph, with moves linked at both ends', () => {
    const p = ['First paragraph stays where it is.', 'Second paragraph is the one that moves away.', 'Third paragraph stays as well.'];
    const r = diffText(p.join('\n\n'), [p[0], p[2], p[1].replace('moves', 'has moved')].join('\n\n'));
    const $ = cheerio.load(render(r, 'html'));
    expect($('main p').length).toBe(3);
    expect($('del.moved#moved-from-0').text()).toBe(p[1]);
    expect($('ins.moved#moved-to-0').text()).toContain('has moved');
    expect($('a[href="#moved-to-0"]').length).toBe(1);
    expect($('a[href="#moved-from-0"]').length).toBe(1);
  });

  it('does not highlight whitespace-only differences', () => {
    const r = diffText('One two three.\n\nFour five.', 'One two\nthree.\n\n\nFour  five.');
    const $ = cheerio.load(render(r, 'html'));
    expect($('del, ins').length).toBe(0);
    expect($('.summary').text()).toMatch(/whitespace or line breaks only/);
  });
});

describe('render: side-by-side', () => {
  it('escapes page content and puts old text left, new text right', () => {
    const html = render(report, 'side-by-side', { beforeLabel: 'Old', afterLabel: 'New' });
    checkHtml(html);
    const $ = cheerio.load(html);
    expect($('th').map((_, th) => $(th).text()).get()).toEqual(['Old', 'New']);
    const changed = $('tr.changed').first();
    expect(changed.find('td').eq(0).find('del').first().text()).toBe('1');
    expect(changed.find('td').eq(1).find('ins').first().text()).toBe('2');
  });

  it('folds long unchanged stretches unless asked for the full text', () => {
    const paras = Array.from({ length: 40 }, (_, i) => `Paragraph number ${i} of the statement.`);
    const b = [...paras];
    b[20] = 'Paragraph number 20 of the amended statement.';
    const r = diffText(paras.join('\n\n'), b.join('\n\n'));
    const folded = cheerio.load(render(r, 'side-by-side'));
    expect(folded('td.fold').length).toBe(2);
    expect(folded('td.fold').first().text()).toContain('19 unchanged paragraphs');
    expect(folded('tbody tr').length).toBe(5);
    const full = cheerio.load(render(r, 'side-by-side', { full: true }));
    expect(full('td.fold').length).toBe(0);
    expect(full('tbody tr').length).toBe(40);
  });

  it('gives an inserted paragraph its own row with an empty left cell', () => {
    const r = diffText('Alpha paragraph.\n\nGamma paragraph.', 'Alpha paragraph.\n\nBeta paragraph is new.\n\nGamma paragraph.');
    const $ = cheerio.load(render(r, 'side-by-side', { full: true }));
    const rows = $('tbody tr').toArray().map((tr) => $(tr).find('td').map((_, td) => $(td).text()).get());
    expect(rows).toEqual([
      ['Alpha paragraph.', 'Alpha paragraph.'],
      ['', 'Beta paragraph is new.'],
      ['Gamma paragraph.', 'Gamma paragraph.'],
    ]);
  });
});

describe('render: markdown', () => {
  it('escapes markup, flattens line breaks and defuses mentions', () => {
    const md = render(report, 'md', { title: '*Title* [x](y)' });
    expect(md).toContain('**\\*Title\\* \\[x\\](y)**');
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>');
    expect(md).not.toMatch(/@everyone/);
    expect(md).toContain('@\u200beveryone');
    expect(md).not.toMatch(/\n# not a heading/);
    expect(escapeMarkdown('a\n\n- b\n# c')).toBe('a ¶ - b # c');
  });

  it('lists each change with strike-through and bold', () => {
    const r = diffText('There are more than 12,300 federal staff.', 'There are more than 14,000 federal staff.');
    expect(render(r, 'md')).toContain('- ¶1: There are more than ~~12,300~~ **14,000** federal staff.');
  });

  it('keeps within maxChars by leaving out whole changes, and says how many', () => {
    const paras = Array.from({ length: 30 }, (_, i) => `Clause ${i} requires providers to act within ${i + 1} days.`);
    const r = diffText(paras.join('\n\n'), paras.map((p) => p.replace('days', 'weeks')).join('\n\n'));
    const full = render(r, 'md');
    const fullLines = new Set(full.split('\n'));
    for (const limit of [200, 500, 1000, 5000]) {
      const md = render(r, 'md', { maxChars: limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      const bullets = md.split('\n').filter((l) => l.startsWith('- '));
      for (const line of bullets) expect(fullLines.has(line)).toBe(true);
      if (bullets.length < 30) expect(md).toContain(`${30 - bullets.length} more changes not shown`);
    }
    expect(render(r, 'md', { maxChars: full.length })).toBe(full);
    expect(render(r, 'md', { maxChars: 10 }).length).toBeLessThanOrEqual(10);
    expect(() => render(r, 'md', { maxChars: 0 })).toThrow(/maxChars/);
  });
});

describe('render: unified', () => {
  const r = diffText('Ministers agreed on 12,300 measures.', 'Ministers agreed on 14,000 measures.');

  it('marks changes in plain text without colour', () => {
    const out = render(r, 'unified', { color: false, beforeLabel: 'v1', afterLabel: 'v2' });
    expect(out).toContain('--- v1\n+++ v2\n');
    expect(out).toContain('Ministers agreed on [-12,300-]{+14,000+} measures.');
    expect(out).not.toContain('\x1b');
  });

  it('uses red and green with colour', () => {
    const out = render(r, 'unified', { color: true });
    expect(out).toContain('\x1b[31m12,300\x1b[0m');
    expect(out).toContain('\x1b[32m14,000\x1b[0m');
  });

  it('cannot be used to send escape sequences to the terminal', () => {
    const evil = diffText('Normal text here.', 'Normal \x1b[2J\x1b]0;pwned\x07 text \u202ehere.');
    const out = render(evil, 'unified', { color: false });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain('\\x1b[2J');
    expect(out).toContain('\\u202e');
  });

  it('decides colour from NO_COLOR, FORCE_COLOR and the terminal', () => {
    expect(autoColor({}, true)).toBe(true);
    expect(autoColor({}, false)).toBe(false);
    expect(autoColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(autoColor({ NO_COLOR: '' }, true)).toBe(true);
    expect(autoColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(autoColor({ FORCE_COLOR: '0' }, true)).toBe(true);
    expect(autoColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
  });

  it('honours NO_COLOR and FORCE_COLOR in a real process when no colour option is given', () => {
    const script = join(import.meta.dirname, 'render-child.ts');
    const run = (env: Record<string, string>): string => {
      const base = { ...process.env };
      delete base.NO_COLOR;
      delete base.FORCE_COLOR;
      const res = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...base, ...env }, encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      return res.stdout;
    };
    expect(run({ FORCE_COLOR: '1' })).toContain('\x1b[31m');
    expect(run({ FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain('\x1b[');
    expect(run({})).not.toContain('\x1b['); // stdout is a pipe, not a terminal
  });
});

describe('render: json and errors', () => {
  it('emits the report as JSON that every renderer and rebuild accept', () => {
    const json = render(report, 'json', { title: 'T' });
    const parsed = JSON.parse(json) as DiffReport & { title: string };
    expect(parsed.title).toBe('T');
    expect(rebuild(parsed)).toEqual({ before: HOSTILE_A, after: HOSTILE_B });
    checkHtml(render(parsed, 'html'));
  });

  it('names the formats when given an unknown one, and explains a report without a script', () => {
    expect(() => render(report, 'pdf' as never)).toThrow(/unified, html, side-by-side, md, json/);
    expect(() => render({ ...report, script: undefined }, 'html')).toThrow(/no edit script/);
    expect(() => rebuild({})).toThrow(/no `script`/);
  });

  it('treats a move index from untrusted JSON as an id, never as markup', () => {
    const forged = { ...report, script: [['<', 'x', '"><script>alert(1)</script>' as unknown as number], ['>', 'y', 5]] } as DiffReport;
    for (const format of ['html', 'side-by-side'] as const) {
      const html = render(forged, format);
      expect(cheerio.load(html)('script').length).toBe(0);
      expect(html).toContain('id="moved-from-x"');
    }
  });
});
