/**
 * What the hostile suite serves when a site behaves: the 2020 statement on end-to-end
 * encryption (Public Safety Canada excerpt, tests/fixtures/statements) as an HTML page, the
 * 2019 open letter as the real PDF, and the broken variants built from them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');

const statementText = readFileSync(
  path.join(fixtures, 'statements', '2020-10-11_international-statement-e2ee.publicsafety-gc-ca.EXCERPT.txt'),
  'utf8',
);
const [title, ...paragraphs] = statementText.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

export const STATEMENT_TITLE = title!;
/** The excerpt is cut mid-sentence; end it so the page reads as a whole statement. */
export const STATEMENT_PARAGRAPHS = paragraphs.map((p, i) => (i === paragraphs.length - 1 ? `${p} out the risks.` : p));

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PageOptions {
  /** Replaces the <meta charset> line ("" for none). */
  meta?: string;
  /** Extra markup inside <head> (a huge inline script, say). */
  head?: string;
  /** Joins the markup; "" gives a page on a single line. */
  newline?: string;
}

/** The statement page; `version` 2 changes a number and adds a sentence, so the change alerts. */
export function statementHtml(version: 1 | 2 = 1, opts: PageOptions = {}): string {
  const body = version === 1
    ? STATEMENT_PARAGRAPHS
    : STATEMENT_PARAGRAPHS.map((p) => p.replace('a coalition of 98 countries', 'a coalition of 104 countries'))
      .concat('We will not support any weakening of encryption that exposes users to new risks.');
  const nl = opts.newline ?? '\n';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    opts.meta ?? '<meta charset="utf-8">',
    `<title>${escapeHtml(STATEMENT_TITLE)} - Public Safety Canada</title>`,
    opts.head ?? '',
    '</head>',
    '<body>',
    '<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>',
    '<main>',
    '<article>',
    `<h1>${escapeHtml(STATEMENT_TITLE)}</h1>`,
    ...body.map((p) => `<p>${escapeHtml(p)}</p>`),
    '</article>',
    '</main>',
    '<footer><p>Date modified: 2020-10-11</p></footer>',
    '</body>',
    '</html>',
  ].join(nl);
}

export const STATEMENT_V1 = Buffer.from(statementHtml(1), 'utf8');
export const STATEMENT_V2 = Buffer.from(statementHtml(2), 'utf8');

export const LETTER_PDF = readFileSync(path.join(fixtures, 'statements', '2019-10-04_open-letter-facebook_privacy-first.pdf'));

/** The letter cut off at 60%: no %%EOF, as when a download stops early. */
export function truncatedPdf(): Buffer {
  return LETTER_PDF.subarray(0, Math.floor(LETTER_PDF.length * 0.6));
}

/**
 * The letter with its cross-reference data and every compressed stream overwritten with
 * noise (header and %%EOF kept), so it still looks like a PDF and cannot be parsed.
 */
export function corruptPdf(): Buffer {
  const out = Buffer.from(LETTER_PDF);
  let x = 0x9e3779b9;
  const noise = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  };
  const start = 16;
  const end = out.length - 64;
  for (let i = start; i < end; i++) out[i] = noise();
  return out;
}

/**
 * The real letter made encrypted by an incremental update (as a PDF editor appends one): a
 * Standard security handler whose user password is not empty, so a reader must ask for it.
 */
export function encryptedPdf(): Buffer {
  const tail = LETTER_PDF.subarray(LETTER_PDF.length - 2048).toString('latin1');
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)?.[1]);
  const size = Number(/\/Size (\d+)/.exec(tail)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(tail)?.[1];
  const id = /\/ID\s*\[\s*(<[0-9A-Fa-f]+>)\s*(<[0-9A-Fa-f]+>)\s*\]/.exec(tail);
  if (!Number.isFinite(startxref) || !Number.isFinite(size) || !root || !id) {
    throw new Error('encryptedPdf: the fixture PDF trailer changed; cannot find startxref, /Size, /Root or /ID');
  }
  const base = LETTER_PDF.at(-1) === 0x0a ? LETTER_PDF : Buffer.concat([LETTER_PDF, Buffer.from('\n')]);
  const objNum = size;
  const obj = `${objNum} 0 obj\n<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${'A1'.repeat(32)}> /U <${'B2'.repeat(32)}> /P -44 >>\nendobj\n`;
  const objOffset = base.length;
  const xrefOffset = objOffset + Buffer.byteLength(obj, 'latin1');
  const xref = `xref\n0 1\n0000000000 65535 f \n${objNum} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n`;
  const trailer = `trailer\n<< /Size ${objNum + 1} /Root ${root} /Prev ${startxref} /Encrypt ${objNum} 0 R /ID [${id[1]} ${id[2]}] >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([base, Buffer.from(obj + xref + trailer, 'latin1')]);
}

/** `total` bytes of zeros, gzip- or brotli-compressed a megabyte at a time (a decompression bomb). */
export async function bomb(kind: 'gzip' | 'br', total: number): Promise<Buffer> {
  const block = Buffer.alloc(1024 * 1024);
  if (kind === 'gzip') {
    // Concatenated gzip members are one valid gzip stream, and one compressed block serves them all.
    const member = zlib.gzipSync(block, { level: 9 });
    return Buffer.concat(Array.from({ length: Math.ceil(total / block.length) }, () => member));
  }
  const stream = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => stream.once('end', resolve).once('error', reject));
  for (let written = 0; written < total; written += block.length) {
    if (!stream.write(block)) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await ended;
  return Buffer.concat(out);
}

interface EdgiVersion {
  data: { title: string; status: number; url: string; headers: Record<string, string>; source_metadata: { redirects?: string[]; redirected_url?: string } };
}

/** One of EDGI's labelled "blocked" captures (tests/fixtures/govpages/edge-cases, see PROVENANCE.md). */
export function edgiRecord(name: 'cloudflare' | 'unblock'): EdgiVersion['data'] {
  const file = name === 'cloudflare'
    ? 'blocked_lbl-tracking-the-sun_cloudflare-challenge_quality-0.0.version.json'
    : 'blocked_federalregister_unblock-redirect_quality-0.0.version.json';
  return (JSON.parse(readFileSync(path.join(fixtures, 'govpages', 'edge-cases', file), 'utf8')) as EdgiVersion).data;
}

/**
 * The headers of an EDGI capture that a loopback server can send again: hop-by-hop and
 * length headers are dropped (the test server sets its own), the rest are replayed.
 */
export function replayHeaders(h: Record<string, string>): Record<string, string> {
  const skip = new Set(['connection', 'transfer-encoding', 'content-length', 'content-encoding', 'status', 'date', 'set-cookie', 'vary', 'age', 'keep-alive']);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (!skip.has(k.toLowerCase())) out[k] = v;
  return out;
}

/** A challenge page like the one behind a Cloudflare "Just a moment..." title (body not in the record). */
export function challengeHtml(pageTitle: string): string {
  return `<!DOCTYPE html><html lang="en-US"><head><title>${pageTitle}</title><meta http-equiv="refresh" content="390"></head>` +
    '<body><div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">emp.lbl.gov</h1>' +
    '<h2 class="h2">Checking if the site connection is secure</h2><p>Enable JavaScript and cookies to continue</p>' +
    '<p>emp.lbl.gov needs to review the security of your connection before proceeding.</p></div></div></body></html>';
}

/** Federal Register's "Request Access" page (the record keeps its title and headers; this is the shape of its body). */
export function requestAccessHtml(pageTitle: string): string {
  return `<!DOCTYPE html><html><head><title>${pageTitle}</title></head><body><main><h1>Request Access</h1>` +
    '<p>Due to aggressive automated scraping of FederalRegister.gov and eCFR.gov, programmatic access to these sites is limited to access to our extensive developer APIs.</p>' +
    '<p>If you are human user receiving this message, we can add your IP address to a set of IPs that can access FederalRegister.gov &amp; eCFR.gov; complete the CAPTCHA (bot test) below and click "Request Access".</p>' +
    '</main></body></html>';
}
