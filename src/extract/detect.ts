/**
 * What kind of document a fetched body is. The bytes decide first, the server's Content-Type
 * second and the URL's extension last: government servers often label PDFs as
 * application/octet-stream and error pages as application/pdf.
 */
import { ExtractError } from './errors.js';

export type DocKind = 'html' | 'pdf' | 'text';

// Formats that are certainly not a statement page; named so the error says what arrived.
const MAGIC: { name: string; bytes: number[] }[] = [
  { name: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'WebP/RIFF media file', bytes: [0x52, 0x49, 0x46, 0x46] },
  { name: 'ZIP archive (or DOCX/XLSX/ODT document)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'gzip-compressed file (the server did not declare Content-Encoding)', bytes: [0x1f, 0x8b] },
  { name: 'legacy Microsoft Office document (DOC/XLS/PPT)', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
  { name: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
  { name: 'RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
  { name: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'WebAssembly module', bytes: [0x00, 0x61, 0x73, 0x6d] },
];

/** 'utf-16le' / 'utf-16be' when the bytes look like UTF-16 (BOM, or NULs in every other byte). */
export function utf16Layout(body: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  const n = Math.min(body.length, 1024) & ~1;
  if (n < 16) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (body[i] === 0) evenNul++;
    if (body[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  if (oddNul > half * 0.4 && evenNul < half * 0.05) return 'utf-16le';
  if (evenNul > half * 0.4 && oddNul < half * 0.05) return 'utf-16be';
  return undefined;
}

function startsWith(body: Buffer, bytes: number[]): boolean {
  if (body.length < bytes.length) return false;
  return bytes.every((b, i) => body[i] === b);
}

/** A PDF header may legally follow up to 1 KB of junk. */
export function hasPdfMagic(body: Buffer): boolean {
  const i = body.subarray(0, 1024).indexOf('%PDF-');
  return i >= 0;
}

/** Why these bytes are not text, or undefined if they plausibly are. */
export function binaryReason(body: Buffer): string | undefined {
  for (const m of MAGIC) if (startsWith(body, m.bytes)) return `the body is a ${m.name}`;
  if (utf16Layout(body)) return undefined;
  // Sample the start, middle and end: a text preamble can front a binary payload.
  const parts = [body.subarray(0, 8192)];
  if (body.length > 16384) {
    const mid = Math.floor(body.length / 2);
    parts.push(body.subarray(mid, mid + 4096), body.subarray(body.length - 4096));
  }
  let total = 0;
  let nul = 0;
  let control = 0;
  for (const part of parts) {
    total += part.length;
    for (const b of part) {
      if (b === 0) nul++;
      // C0 controls that never occur in text; tab, LF, FF, CR and ESC (ISO-2022) are allowed.
      else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
    }
  }
  if (total === 0) return undefined;
  if (nul / total > 0.001) return `the body contains NUL bytes (${nul} in the ${total} bytes sampled)`;
  if ((nul + control) / total > 0.03) {
    return `${(((nul + control) / total) * 100).toFixed(1)}% of the sampled bytes are control characters`;
  }
  return undefined;
}

/** The first KB as text, for sniffing; UTF-16 is folded to ASCII-compatible form. */
function head(body: Buffer): string {
  const layout = utf16Layout(body);
  const slice = body.subarray(0, 2048);
  if (layout === 'utf-16le') return slice.toString('utf16le').slice(0, 1024);
  if (layout === 'utf-16be') {
    const swapped = Buffer.from(slice.subarray(0, slice.length & ~1));
    swapped.swap16();
    return swapped.toString('utf16le').slice(0, 1024);
  }
  return slice.subarray(0, 1024).toString('latin1');
}

const HTML_START =
  /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|script|iframe|h[1-6]|div|font|table|a|style|title|b|br|p|meta|link)[\s>/]/i;
const HTML_ANYWHERE = /<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i;
const COMMON_TAG = /<\/?(p|div|span|br|a|li|ul|ol|table|tr|td|h[1-6]|strong|em)[\s>/]/gi;

export function looksLikeHtml(body: Buffer): boolean {
  const h = head(body);
  if (HTML_START.test(h) || HTML_ANYWHERE.test(h)) return true;
  const seen = new Set<string>();
  for (const m of h.matchAll(COMMON_TAG)) seen.add(m[1]!.toLowerCase());
  return seen.size >= 3;
}

function kindFromContentType(contentType?: string): DocKind | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return undefined;
  if (type === 'application/pdf' || type === 'application/x-pdf') return 'pdf';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  // Markup read as text would archive the tags; read as HTML it yields the wording.
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'html';
  if (type.startsWith('text/')) return 'text';
  return undefined;
}

function kindFromPath(urlOrPath?: string): DocKind | undefined {
  if (!urlOrPath) return undefined;
  let path = urlOrPath;
  try {
    path = new URL(urlOrPath).pathname;
  } catch {
    // A file path, not a URL.
  }
  const ext = /\.([a-z0-9]{1,5})$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'pdf') return 'pdf';
  if (ext && ['html', 'htm', 'xhtml', 'shtml', 'asp', 'aspx', 'php', 'jsp'].includes(ext)) return 'html';
  if (ext === 'txt') return 'text';
  return undefined;
}

export function detectKind(body: Buffer, contentType?: string, urlOrPath?: string): DocKind {
  if (hasPdfMagic(body)) return 'pdf';
  const binary = binaryReason(body);
  if (binary) {
    throw new ExtractError(
      'binary',
      `Refusing to extract text ${urlOrPath ? `from ${urlOrPath}` : 'from the fetched body'}: ${binary}` +
        ` (Content-Type ${contentType ? `"${contentType}"` : 'not given'}). Check that the URL points at the statement page or PDF.`,
      urlOrPath ? { url: urlOrPath } : {},
    );
  }
  if (looksLikeHtml(body)) return 'html';
  const declared = kindFromContentType(contentType);
  // A server that says PDF but sends no %PDF header is handled by the PDF reader's error.
  if (declared) return declared;
  return kindFromPath(urlOrPath) ?? 'text';
}
