/**
 * PDF → statement text, in-process with unpdf (pdf.js; no external binary). Unreadable files
 * (encrypted, corrupt, truncated, image-only) throw ExtractError: archiving partial or empty
 * text would look like the statement had been gutted.
 */
import { getDocumentProxy } from 'unpdf';
import type { DeclaredDates, Extracted } from './types.js';
import { hasPdfMagic } from './detect.js';
import { ExtractError, where } from './errors.js';
import { normalizeParagraphs } from './normalize.js';
import { layoutPdf, type PdfItem, type PdfPage } from './pdflayout.js';

// Guards against a hostile PDF that declares a million pages.
const MAX_PAGES = 2000;

type PdfDoc = Awaited<ReturnType<typeof getDocumentProxy>>;

/** "D:20191125180242+06'00'" → "2019-11-25T18:02:42+06:00". */
export function pdfDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h, mi = '00', s = '00', tz] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31) return undefined;
  if (h === undefined) return `${y}-${mo}-${d}`;
  const zone = !tz ? '' : tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.replace(/'/g, '').slice(3, 5) || '00'}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}

function fail(code: 'pdf-encrypted' | 'pdf-corrupt' | 'pdf-truncated' | 'pdf-no-text', message: string, url?: string, cause?: unknown): never {
  throw new ExtractError(code, message, { url, cause });
}

async function open(body: Buffer, url?: string): Promise<PdfDoc> {
  if (!hasPdfMagic(body)) {
    fail('pdf-corrupt', `Not a PDF ${where(url)}: no "%PDF-" header in the first 1 KB (the server may have sent an error page labelled as PDF)`, url);
  }
  // Every complete PDF ends with %%EOF (possibly followed by a little padding).
  if (body.subarray(Math.max(0, body.length - 4096)).indexOf('%%EOF') < 0) {
    fail('pdf-truncated', `PDF ${where(url)} is truncated: ${body.length} bytes and no %%EOF marker at the end; the download was probably cut short, it will be retried at the next check`, url);
  }
  try {
    // A copy: pdf.js may take ownership of (detach) the array it is given.
    return await getDocumentProxy(new Uint8Array(body), { verbosity: 0, stopAtErrors: true, isEvalSupported: false });
  } catch (err) {
    const name = (err as { name?: string }).name;
    const msg = (err as Error).message ?? String(err);
    if (name === 'PasswordException') {
      fail('pdf-encrypted', `PDF ${where(url)} is encrypted and needs a password (${msg}); Redline cannot read it. Watch the HTML version of the statement if there is one`, url, err);
    }
    fail('pdf-corrupt', `PDF ${where(url)} could not be parsed: ${msg}. The file is damaged or not a PDF`, url, err);
  }
}

async function readPages(doc: PdfDoc, url?: string): Promise<PdfPage[]> {
  const pages: PdfPage[] = [];
  const count = Math.min(doc.numPages, MAX_PAGES);
  for (let n = 1; n <= count; n++) {
    try {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items: PdfItem[] = [];
      for (const it of content.items) {
        if (!('str' in it)) continue;
        const t = it.transform as number[];
        items.push({ str: it.str, x: t[4]!, y: t[5]!, width: it.width, size: Math.hypot(t[2]!, t[3]!) });
      }
      // getViewport's height follows /Rotate; text coordinates do not, so use the raw box.
      const height = Math.max(viewport.viewBox[3]! - viewport.viewBox[1]!, 1);
      pages.push({ number: n, height, items });
      page.cleanup();
    } catch (err) {
      fail('pdf-corrupt', `PDF ${where(url)}: page ${n} of ${doc.numPages} could not be read (${(err as Error).message}); the file is damaged`, url, err);
    }
  }
  return pages;
}

async function declaredOf(doc: PdfDoc): Promise<{ declared: DeclaredDates; title?: string }> {
  const declared: DeclaredDates = {};
  let title: string | undefined;
  try {
    const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, unknown> };
    const created = pdfDate(info.CreationDate);
    const modified = pdfDate(info.ModDate);
    if (created) declared.published = created;
    if (modified) declared.modified = modified;
    const t = typeof info.Title === 'string' ? info.Title.replace(/\s+/g, ' ').trim() : '';
    // Word and InDesign often leave the file name as the title; that is not the statement's.
    if (t && !/\.(?:docx?|rtf|indd|pdf|odt)$/i.test(t) && !/^microsoft word\s*-/i.test(t)) title = t;
  } catch {
    // Metadata is optional; the text is what matters.
  }
  return title ? { declared, title } : { declared };
}

export async function extractPdf(body: Buffer, url?: string): Promise<Extracted> {
  const doc = await open(body, url);
  try {
    const pages = await readPages(doc, url);
    const { paragraphs: raw, furniture } = layoutPdf(pages);
    const paragraphs = normalizeParagraphs(raw);
    if (!paragraphs.length) {
      fail('pdf-no-text', `PDF ${where(url)} has ${doc.numPages} page(s) but no text layer (a scanned image?); Redline does not OCR. Watch an HTML version of the statement instead`, url);
    }
    const repairs: string[] = [];
    if (doc.numPages > MAX_PAGES) repairs.push(`pdf: only the first ${MAX_PAGES} of ${doc.numPages} pages were read`);
    const { declared, title } = await declaredOf(doc);
    const out: Extracted = {
      kind: 'pdf',
      text: paragraphs.join('\n\n'),
      paragraphs,
      repairs,
      links: [],
      method: furniture ? `pdf (${furniture} header/footer/page-number lines dropped)` : 'pdf',
    };
    if (title) out.title = title;
    if (Object.keys(declared).length) out.declared = declared;
    return out;
  } finally {
    await doc.destroy();
  }
}
