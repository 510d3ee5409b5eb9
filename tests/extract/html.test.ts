/** Layout of HTML into paragraphs, and the select/remove rules of a source. */
import { describe, expect, it } from 'vitest';
import { extract, ExtractError } from '../../src/extract/index.js';

const html = (s: string, opts: { url?: string; select?: string[]; remove?: string[] } = {}) =>
  extract({ body: Buffer.from(s), contentType: 'text/html; charset=utf-8', ...opts });

const PAGE = `<!doctype html><html><head><title>Doc title</title></head><body>
  <nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a></nav>
  <div id="cookie-banner">We use cookies. <button>Accept</button></div>
  <main>
    <h1>Joint statement on encryption</h1>
    <div class="share-bar">Share on Twitter</div>
    <p>We, the undersigned, support <b>strong</b> encryption,<i>which</i> plays a <a href="/crucial">crucial role</a>.</p>
    <div class="statement-body">Governments <span>must</span> work together.<p>Nested paragraph.</p>Tail text.</div>
    <ul><li>First step</li><li>Second<br>line two</li></ul>
    <table><tr><th>Country</th><th>Signed</th></tr><tr><td>India</td><td><p>Yes</p><p>2020</p></td></tr><tr><td></td><td></td></tr></table>
    <pre>line one
   line two

line three</pre>
    <p hidden>Hidden draft text</p>
    <p style="color:red; display: none">Also hidden</p>
    <script>var x = "script text";</script><style>p{}</style><noscript>Enable JS</noscript>
    <template><p>template text</p></template>
    <form><label>Email</label><input value="input text"><select><option>Option text</option></select><textarea>Area text</textarea></form>
    <aside class="related-links"><h2>Related</h2><a href="/other">Other statement</a></aside>
  </main>
  <footer>© Crown copyright</footer>
</body></html>`;

describe('HTML layout', () => {
  it('lays blocks out as paragraphs with correct inline spacing', async () => {
    const r = await html(PAGE, { url: 'https://example.gov.uk/statements/e2ee' });
    expect(r.method).toBe('main-element');
    expect(r.title).toBe('Joint statement on encryption');
    expect(r.paragraphs).toEqual([
      'Joint statement on encryption',
      'We, the undersigned, support strong encryption,which plays a crucial role.',
      'Governments must work together.',
      'Nested paragraph.',
      'Tail text.',
      'First step',
      'Second\nline two',
      'Country | Signed',
      'India | Yes 2020',
      'line one\nline two\nline three',
      'Email',
    ]);
    expect(r.text).toBe(r.paragraphs.join('\n\n'));
  });

  it('drops nav, cookie banner, share bar, related links and footer', async () => {
    const r = await html(PAGE);
    for (const s of ['Home', 'We use cookies', 'Share on Twitter', 'Related', 'Other statement', 'Crown copyright']) {
      expect(r.text).not.toContain(s);
    }
    for (const s of ['Hidden draft', 'Also hidden', 'script text', 'Enable JS', 'template text', 'input text', 'Option text', 'Area text']) {
      expect(r.text).not.toContain(s);
    }
  });

  it('collects body links as absolute URLs, honouring <base href>', async () => {
    const r = await html(PAGE, { url: 'https://example.gov.uk/statements/e2ee' });
    expect(r.links).toEqual([{ text: 'crucial role', href: 'https://example.gov.uk/crucial' }]);
    const based = await html('<html><head><base href="https://cdn.example.org/docs/"></head><body><main><p>' + 'x '.repeat(100) + '<a href="a.pdf">Annex</a> <a href="javascript:void(0)">js</a> <a href="#top">top</a></p></main></body></html>', {
      url: 'https://example.org/page',
    });
    expect(based.links).toEqual([{ text: 'Annex', href: 'https://cdn.example.org/docs/a.pdf' }]);
  });

  it('falls back to <title> when there is no <h1>', async () => {
    const r = await html('<html><head><title> Press  release </title></head><body><p>Text of the release.</p></body></html>');
    expect(r.title).toBe('Press release');
    expect(r.text).toBe('Text of the release.');
  });

  it('scores the article container when there is no landmark', async () => {
    const para = (n: number) => `<p>Paragraph ${n} of the statement, with commas, clauses, and enough words to count as prose for the scorer.</p>`;
    const page = `<body><div id="header"><ul class="menu"><li><a href="/a">About us</a></li><li><a href="/b">Contact</a></li></ul></div>
      <div class="layout"><div class="sidebar"><a href="/x">Other news one</a><a href="/y">Other news two</a></div>
      <div class="node-content">${[1, 2, 3, 4, 5].map(para).join('')}</div></div>
      <div id="footer">Footer text of the site</div></body>`;
    const r = await html(page);
    expect(r.method).toBe('heuristic');
    expect(r.paragraphs).toHaveLength(5);
    expect(r.paragraphs[0]).toMatch(/^Paragraph 1 of the statement/);
  });
});

describe('select and remove', () => {
  const page = `<body><div class="a"><p>Alpha one</p></div><div class="body"><p>Body text</p><p class="ad">Advert</p><div class="body"><p>Inner</p></div></div><div class="body"><p>Second body</p></div></body>`;

  it('uses the first selector that matches, all its matches, without duplicates', async () => {
    const r = await html(page, { select: ['.missing', '.body'], remove: ['.ad'] });
    expect(r.method).toBe('select:.body');
    expect(r.paragraphs).toEqual(['Body text', 'Inner', 'Second body']);
  });

  it('fails clearly when no selector matches, naming the selectors and the URL', async () => {
    const err = await html(page, { url: 'https://example.gov/s', select: ['.x'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExtractError);
    expect((err as ExtractError).code).toBe('select-no-match');
    expect((err as Error).message).toMatch(/^select '\.x' matched nothing on https:\/\/example\.gov\/s; the page layout may have changed/);
  });

  it('rejects an invalid selector with an ExtractError, not a crash', async () => {
    const err = await html(page, { select: ['div[[['] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExtractError);
    expect((err as ExtractError).code).toBe('bad-selector');
    expect((err as Error).message).toContain("select selector 'div[[['");
    const bad = await html(page, { remove: ['::nope('] }).catch((e: unknown) => e);
    expect((bad as ExtractError).code).toBe('bad-selector');
  });

  it('remove works on the heuristic path too', async () => {
    const r = await html('<body><main><p>Keep this statement paragraph, which is long enough to be the main content.</p><p class="x">Drop me</p></main></body>', { remove: ['.x'] });
    expect(r.paragraphs).toEqual(['Keep this statement paragraph, which is long enough to be the main content.']);
  });
});

describe('text and kind override', () => {
  it('plain text: blank lines split paragraphs, single newlines are reflow', async () => {
    const r = await extract({ body: Buffer.from('We, the undersigned,\nsupport strong\r\nencryption.\n\n\n  Second   paragraph.\n'), contentType: 'text/plain' });
    expect(r).toMatchObject({ kind: 'text', method: 'text', paragraphs: ['We, the undersigned, support strong encryption.', 'Second paragraph.'] });
  });

  it('a forced kind still refuses binary bytes', async () => {
    const err = await extract({ body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), kind: 'html' }).catch((e: unknown) => e);
    expect((err as ExtractError).code).toBe('binary');
  });
});
