/**
 * Byte-level helpers shared by the decoder and the mojibake repair: UTF-8 sequence validation
 * and the windows-1252 table as browsers use it (WHATWG maps the five undefined bytes to the
 * C1 controls; iconv-lite maps them to U+FFFD, which would lose the byte).
 */

const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** The character windows-1252 gives byte b. */
export function cp1252Char(b: number): string {
  return b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
}

const CP1252_REVERSE = new Map<string, number>();
for (let i = 0; i < CP1252_HIGH.length; i++) CP1252_REVERSE.set(CP1252_HIGH[i]!, 0x80 + i);

/**
 * The byte a character came from if the text was produced by decoding bytes as windows-1252
 * or ISO-8859-1 (mis-decoders use either), or -1 if no single byte maps to it.
 */
export function byteOfLegacyChar(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code < 0x100) return code;
  return CP1252_REVERSE.get(ch) ?? -1;
}

/** The windows-1252 characters standing for bytes 0x80–0x9F (regex class body, escaped). */
export const CP1252_SPECIALS_CLASS = [...CP1252_HIGH]
  .filter((c) => c.charCodeAt(0) > 0xff)
  .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  .join('');

export function decodeWindows1252(buf: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let start = 0; start < buf.length; start += CHUNK) {
    const end = Math.min(buf.length, start + CHUNK);
    const codes: number[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      codes[i - start] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * Length of the well-formed UTF-8 sequence starting at buf[i] (Unicode table 3-7: no overlongs,
 * no surrogates, nothing above U+10FFFF), or 0 if the bytes there are not one.
 */
export function utf8SequenceLength(buf: ArrayLike<number>, i: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = buf[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Number of multi-byte sequences in a buffer already known to be valid UTF-8. */
export function countMultibyte(buf: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b >= 0xc2 && b <= 0xf4) n++;
  }
  return n;
}
