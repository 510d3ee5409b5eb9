/**
 * Bytes to text. Order of evidence: byte-order mark, the Content-Type charset, a <meta>/XML
 * declaration in the first 4 KB, then detection. Every accident met on the way (bogus label,
 * invalid bytes, double encoding) is repaired and named in `repairs`, which is kept with the
 * version so a reader can see why the archived text differs from the raw bytes.
 */
import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { countMultibyte, cp1252Char, decodeWindows1252, utf8SequenceLength } from './bytes.js';
import { repairMojibake } from './mojibake.js';
import { utf16Layout } from './detect.js';

export interface Decoded {
  text: string;
  charset: string;
  repairs: string[];
}

// WHATWG Encoding Standard: these labels all mean windows-1252 in a browser.
const ALIASES: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  iso8859_1: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'ansi_x3.4-1968': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  cp819: 'windows-1252',
  'iso-8859-9': 'windows-1254',
  latin5: 'windows-1254',
  'iso-8859-11': 'windows-874',
  'tis-620': 'windows-874',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-sjis': 'shift_jis',
  'ks_c_5601-1987': 'euc-kr',
  gb2312: 'gbk',
  'x-gbk': 'gbk',
};

/** Canonical charset name for a label, or undefined when the label names nothing we can decode. */
export function resolveCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const l = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase();
  if (!l) return undefined;
  const alias = ALIASES[l];
  if (alias) return alias;
  if (l === 'utf-8') return 'utf-8';
  if (l === 'utf-16' || l === 'utf-16le' || l === 'utf-16be') return l === 'utf-16' ? 'utf-16le' : l;
  return iconv.encodingExists(l) ? l : undefined;
}

function charsetParam(contentType?: string): string | undefined {
  return contentType ? /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType)?.[2] : undefined;
}

/** charset from <meta charset>, <meta http-equiv content="…charset=…"> or <?xml encoding?>. */
function declaredInDocument(body: Buffer): string | undefined {
  const head = body.subarray(0, 4096).toString('latin1');
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const found = /\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(m[0]);
    if (found) return found[1];
  }
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
}

const SINGLE_BYTE = /^(windows-125\d|windows-874|iso-8859-\d+|koi8-[ru]|macintosh|ibm866)$/;

/**
 * UTF-8 where the bytes are valid; each invalid byte decoded as windows-1252. Handles both a
 * legacy page mislabelled as UTF-8 and a UTF-8 template with one legacy field pasted in.
 */
function decodeUtf8Lenient(buf: Buffer): { text: string; invalid: number } {
  if (isUtf8(buf)) return { text: buf.toString('utf8'), invalid: 0 };
  const parts: string[] = [];
  let invalid = 0;
  let start = 0;
  let i = 0;
  while (i < buf.length) {
    if (buf[i]! < 0x80) {
      i++;
      continue;
    }
    const len = utf8SequenceLength(buf, i);
    if (len) {
      i += len;
      continue;
    }
    parts.push(buf.toString('utf8', start, i), cp1252Char(buf[i]!));
    invalid++;
    i++;
    start = i;
  }
  parts.push(buf.toString('utf8', start, buf.length));
  return { text: parts.join(''), invalid };
}

function decodeAs(buf: Buffer, charset: string, repairs: string[]): string {
  if (charset === 'utf-8') {
    const { text, invalid } = decodeUtf8Lenient(buf);
    if (invalid) {
      repairs.push(
        `charset: ${invalid} byte${invalid === 1 ? ' was' : 's were'} not valid UTF-8; decoded ${invalid === 1 ? 'it' : 'them'} as windows-1252`,
      );
    }
    return text;
  }
  if (charset === 'windows-1252') return decodeWindows1252(buf);
  return iconv.decode(buf, charset);
}

function withoutBom(body: Buffer): { charset?: string; rest: Buffer } {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    return { charset: 'utf-8', rest: body.subarray(3) };
  }
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return { charset: 'utf-16le', rest: body.subarray(2) };
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return { charset: 'utf-16be', rest: body.subarray(2) };
  return { rest: body };
}

function detectCharset(body: Buffer): string {
  if (isUtf8(body)) return 'utf-8';
  const guess = resolveCharset(chardet.detect(body.subarray(0, 65536)) ?? undefined);
  // Detection on short or mixed text is a guess; UTF-8 with windows-1252 fallback for the
  // invalid bytes is the least destructive choice when the guess is unusable.
  return guess && guess !== 'utf-16le' && guess !== 'utf-16be' && !guess.startsWith('utf-32') ? guess : 'utf-8';
}

function chooseCharset(body: Buffer, contentType: string | undefined, repairs: string[]): string {
  const labels: [string, string | undefined][] = [
    ['Content-Type header', charsetParam(contentType)],
    ['document', declaredInDocument(body)],
  ];
  for (const [where, label] of labels) {
    if (label === undefined) continue;
    let charset = resolveCharset(label);
    if (!charset) {
      repairs.push(`charset: unknown label "${label.slice(0, 60)}" in the ${where} ignored`);
      continue;
    }
    // A label readable as ASCII cannot be UTF-16 (HTML spec: treat it as UTF-8).
    if (charset.startsWith('utf-16')) charset = 'utf-8';
    if (charset !== 'utf-8' && SINGLE_BYTE.test(charset) && isUtf8(body)) {
      const multibyte = countMultibyte(body);
      if (multibyte > 0) {
        repairs.push(
          `charset: declared ${charset} but the bytes are valid UTF-8 (${multibyte} multi-byte sequences); decoded as UTF-8`,
        );
        return 'utf-8';
      }
    }
    return charset;
  }
  // UTF-16 without a BOM is valid "UTF-8" full of NULs; its layout gives it away.
  const detected = utf16Layout(body) ?? detectCharset(body);
  if (repairs.length) repairs.push(`charset: detected ${detected}`);
  return detected;
}

export function decodeBytes(body: Buffer, contentType?: string): Decoded {
  const repairs: string[] = [];
  const bom = withoutBom(body);
  const charset = bom.charset ?? chooseCharset(body, contentType, repairs);
  let text = decodeAs(bom.rest, charset, repairs);
  const fixed = repairMojibake(text);
  if (fixed) {
    text = fixed.text;
    const depth = fixed.passes > 1 ? ` (encoded ${fixed.passes + 1} times)` : '';
    repairs.push(`mojibake: double-encoded UTF-8 repaired (${fixed.sequences} sequences)${depth}`);
  }
  return { text, charset, repairs };
}
