/**
 * Page content is hostile input: whatever arrives, extraction either returns well-formed
 * text or throws an ExtractError; never another exception, never a hang. The per-test timeouts
 * below are hang guards, not speed assertions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract, ExtractError, normalizeText } from '../../src/extract/index.js';
import type { Extracted, ExtractInput } from '../../src/extract/index.js';
import { fixture, LETTER_PDF } from './helpers.js';

function wellFormed(r: Extracted): void {
  expect(r.text).toBe(r.paragraphs.join('\n\n'));
  expect(normalizeText(r.text)).toBe(r.text);
  for (const p of r.paragraphs) {
    expect(p).not.toBe('');
    expect(p).not.toContain('\n\n');
  }
  for (const l of r.links) expect(() => new URL(l.href)).not.toThrow();
}

/** Resolves to 'ok' or the ExtractError code; any other exception fails the property. */
async function outcome(input: ExtractInput): Promise<string> {
  try {
    wellFormed(await extract(input));
    return 'ok';
  } catch (err) {
    if (err instanceof ExtractError) return err.code;
    throw err;
  }
}

const TAGS = ['div', 'p', 'span', 'b', 'a', 'table', 'tr', 'td', 'th', 'ul', 'ol', 'li', 'br', 'pre', 'main', 'article', 'nav', 'header', 'footer', 'section', 'h1', 'h2', 'script', 'style', 'template', 'svg', 'iframe', 'form', 'input', 'textarea', 'select', 'option', 'sup', 'base', 'meta', 'title', 'noscript', 'img', 'hr', 'dl', 'dd', 'dt', 'blockquote'];
const CLASSES = ['content', 'main-content', 'nav', 'menu', 'footer', 'cookie-banner', 'share', 'related', 'sidebar', 'field_body', 'gem-c-govspeak', 'gem-c-notice', 'sr-only', 'element-invisible', 'article-body', 'x'];
const TEXTS = ['We, the undersigned,', ' support ', 'strong encryption.', 'EspaÃ±ol', 'â€™', '\u00A0', '\u200B', '&amp;', '&nbsp;', '&#0;', '&#x110000;', '<', '>', '"', "'", 'Last updated: 10/03/2017', 'Page not found', '\u0000', '\uFFFD', '\uD800', '👍🏽', 'ال', '\r\n', '\n\n', '   '];

const attrs = fc.array(
  fc.oneof(
    fc.constantFrom(...CLASSES).map((c) => ` class="${c}"`),
    fc.constantFrom(' hidden', ' style="display:none"', ' role="main"', ' role="navigation"', ' href="/x"', ' href="javascript:alert(1)"', ' href="http://[::1"', ' id="main-content"', ' charset="who-knows"', ' aria-hidden="true"'),
  ),
  { maxLength: 3 },
).map((a) => a.join(''));

const { node } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXTS),
    fc.string({ maxLength: 20 }),
    fc
      .tuple(fc.constantFrom(...TAGS), attrs, fc.array(tie('node'), { maxLength: 5 }), fc.boolean())
      .map(([tag, a, children, close]) => `<${tag}${a}>${children.join('')}${close ? `</${tag}>` : ''}`),
  ),
}));

describe('hostile HTML', () => {
  it('random markup trees: only ExtractError, well-formed output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(node, { maxLength: 8 }), fc.constantFrom(undefined, 'https://www.gov.uk/x', 'https://www.justice.gov/x', 'http://example.org/a/b'), async (parts, url) => {
        const result = await outcome({ body: Buffer.from(`<!doctype html><html><body>${parts.join('')}</body></html>`), contentType: 'text/html', url });
        expect(['ok', 'binary']).toContain(result);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('random strings and bytes under any kind: only ExtractError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }).map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b))),
        fc.constantFrom<ExtractInput['kind']>('auto', 'html', 'text'),
        fc.constantFrom(undefined, 'text/html; charset=utf-16', 'text/html; charset=x-bogus', 'application/pdf', 'text/plain; charset=iso-8859-1'),
        async (body, kind, contentType) => {
          await outcome({ body, kind, contentType });
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('random select and remove selectors: only ExtractError', async () => {
    const page = fixture('govpages/real_fema-hurricane-maria_2017-10-03.a.html');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('div', '.x', '#main-content', 'p:nth-child(2n+1)', 'a[href^=http]', ':has(', '<', 'table td')), { maxLength: 2 }),
        fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('nav', 'p', '*', 'body', 'html')), { maxLength: 2 }),
        async (select, remove) => {
          const r = await outcome({ body: page, contentType: 'text/html', url: 'https://www.fema.gov/hurricane-maria', select, remove });
          expect(['ok', 'select-no-match', 'bad-selector']).toContain(r);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);

  it('10,000 levels of nesting are flattened, text kept', async () => {
    for (const open of ['<div>', '<span>', '<table><tr><td>', '<ul><li>', '<b>', '<blockquote>']) {
      const body = Buffer.from(`<html><body>${open.repeat(10_000)}deep statement text${'</div>'.repeat(100)}</body></html>`);
      const r = await extract({ body, contentType: 'text/html' });
      wellFormed(r);
      expect(r.text).toContain('deep statement text');
      expect(r.repairs.join()).toMatch(/nested deeper than 400 levels were flattened/);
    }
  }, 60_000);

  it('a single multi-megabyte line', async () => {
    const line = 'We support strong encryption, and lawful access. '.repeat(60_000); // ~3 MB
    const r = await extract({ body: Buffer.from(`<html><body><main><p>${line}</p></main></body></html>`), contentType: 'text/html' });
    wellFormed(r);
    expect(r.paragraphs).toHaveLength(1);
    expect(r.text.length).toBe(line.trim().length);
    const plain = await extract({ body: Buffer.from(line), contentType: 'text/plain' });
    expect(plain.paragraphs).toHaveLength(1);
  }, 60_000);

  it('100,000 sibling paragraphs', async () => {
    const r = await extract({ body: Buffer.from(`<body><main>${'<p>Paragraph, with a comma.'.repeat(100_000)}</main></body>`), contentType: 'text/html' });
    expect(r.paragraphs).toHaveLength(100_000);
  }, 60_000);
});

describe('hostile PDFs', () => {
  it('damaged copies of the letter: text or ExtractError, nothing else', async () => {
    const original = fixture(LETTER_PDF);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 20 }), async (edits) => {
        const body = Buffer.from(original);
        for (const [i, b] of edits) body[i] = b;
        await outcome({ body, contentType: 'application/pdf' });
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
