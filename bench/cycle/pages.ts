/**
 * Statement-like pages for the cycle benchmark: each page is a government press page
 * (header, navigation, breadcrumbs, cookie banner, the statement, related links,
 * footer, and the publication date in an article:published_time meta as CMSs write it) of about 8 KB, from a seeded PRNG so the same seed gives the same bytes.
 * A revision replaces one sentence of the statement, which is what the "changed"
 * phase and the history setup need.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Prose, prng } from '../corpus.js';

export interface PageModel {
  title: string;
  date: string;
  paragraphs: string[];
}

const MINISTRIES = ['Home Office', 'Ministry of Justice', 'Department for Science', 'Cabinet Office', 'Foreign Office', 'Department of Public Safety'];
/** Statement text per page: with the chrome around it the page lands near 8 KB. */
const BODY_BYTES = 4600;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The statement of page `index` as first published. */
export function baseModel(seed: number, index: number): PageModel {
  const prose = new Prose((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const title = prose.sentence().replace(/[.;]$/, '').split(' ').slice(0, 10).join(' ');
  const day = 1 + Math.floor(prose.random() * 28);
  const month = 1 + Math.floor(prose.random() * 12);
  return { title, date: `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, paragraphs: prose.document(BODY_BYTES) };
}

/**
 * Revision `rev` (0 = the original) of page `index`: revision r replaces one sentence of
 * revision r-1, in a paragraph chosen by the PRNG, so every revision differs from the one
 * before by exactly one sentence.
 */
export function revisionModel(seed: number, index: number, rev: number): PageModel {
  const model = baseModel(seed, index);
  const paragraphs = model.paragraphs.slice();
  for (let r = 1; r <= rev; r++) {
    const prose = new Prose((seed ^ Math.imul(index + 1, 0x85ebca6b) ^ Math.imul(r, 0xc2b2ae35)) >>> 0);
    const p = Math.floor(prose.random() * paragraphs.length);
    const sentences = paragraphs[p]!.split(/(?<=[.;]) /);
    const s = Math.floor(prose.random() * sentences.length);
    sentences[s] = prose.sentence();
    paragraphs[p] = sentences.join(' ');
  }
  return { ...model, paragraphs };
}

/** The statement as plain text (title, date, paragraphs), for archive history built without fetching. */
export function modelText(m: PageModel): string {
  return [m.title, m.date, ...m.paragraphs].join('\n\n');
}

export function renderPage(m: PageModel, index: number): string {
  const rnd = prng(index + 7);
  const ministry = MINISTRIES[index % MINISTRIES.length]!;
  const related = Array.from({ length: 6 }, (_, k) => {
    const other = Math.floor(rnd() * 100000);
    return `        <li><a href="/s/${other}.html">Statement ${other}: update on programme ${k + 1}</a></li>`;
  }).join('\n');
  const nav = ['Home', 'News', 'Statements', 'Publications', 'Consultations', 'About us', 'Contact']
    .map((n) => `      <li><a href="/${n.toLowerCase().replace(/ /g, '-')}">${n}</a></li>`)
    .join('\n');
  const body = m.paragraphs.map((p) => `        <p>${escapeHtml(p)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(m.title)} - ${ministry}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="${escapeHtml(m.paragraphs[0]!.slice(0, 150))}">
  <meta property="article:published_time" content="${m.date}T09:30:00+00:00">
  <link rel="stylesheet" href="/assets/site.css">
  <script src="/assets/analytics.js" defer></script>
</head>
<body>
  <div id="cookie-banner" class="cookie-banner" role="region" aria-label="Cookies">
    <p>We use some essential cookies to make this service work. We would also like to use analytics cookies so we can understand how you use the service and make improvements.</p>
    <button type="button">Accept analytics cookies</button> <button type="button">Reject analytics cookies</button>
  </div>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="site-header">
    <a class="logo" href="/">${ministry}</a>
    <nav aria-label="Main">
    <ul>
${nav}
    </ul>
    </nav>
  </header>
  <div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/news">News</a> &gt; <a href="/statements">Statements</a></div>
  <main id="main">
    <article class="statement">
      <h1>${escapeHtml(m.title)}</h1>
      <p class="meta">Published <time datetime="${m.date}">${m.date}</time> by the ${ministry}</p>
      <div class="body">
${body}
      </div>
    </article>
    <aside class="related">
      <h2>Related content</h2>
      <ul>
${related}
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <ul><li><a href="/help">Help</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/accessibility">Accessibility statement</a></li><li><a href="/terms">Terms and conditions</a></li></ul>
    <p>All content is available under the Open Government Licence v3.0, except where otherwise stated. &copy; Crown copyright</p>
  </footer>
</body>
</html>
`;
}

export function pagePath(index: number): string {
  return `/s/${index}.html`;
}

/** Writes revision `rev` of page `index` under `root` (the server's document root). */
export function writePage(root: string, seed: number, index: number, rev: number): void {
  writeFileSync(join(root, pagePath(index)), renderPage(revisionModel(seed, index, rev), index));
}

/** Writes pages 0..n-1 at revision 0; returns their total size in bytes. */
export function writeAllPages(root: string, seed: number, n: number): number {
  mkdirSync(join(root, 's'), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const html = renderPage(baseModel(seed, i), i);
    writeFileSync(join(root, pagePath(i)), html);
    bytes += Buffer.byteLength(html);
  }
  return bytes;
}

/** A fixed, seeded choice of `count` distinct page indices out of n (Fisher–Yates prefix). */
export function pickPages(seed: number, n: number, count: number): number[] {
  const rnd = prng(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, count).sort((a, b) => a - b);
}
