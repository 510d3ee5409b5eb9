/**
 * Canonical form of statement text, so that two captures of the same wording hash the same.
 * Only invisible differences are removed: wording, punctuation and quote marks are kept exactly
 * (straightening quotes would hide a real edit from the diff).
 *
 * Shape of the result: paragraphs separated by one blank line ("\n\n"); a paragraph may hold
 * several lines separated by a single "\n" (a <br>, a PDF address block); no line has leading,
 * trailing or repeated spaces.
 */

// Removed outright: zero-width space/non-joiner/joiner, word joiner, BOM / ZWNBSP, soft hyphen,
// Mongolian vowel separator, and control characters other than tab and line breaks
// (C0 and C1 controls cannot be wording; C1 ones are leftovers of broken decoding).
const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD\u180E\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

// Every space that renders as a plain gap becomes an ordinary space.
const SPACES = /[\t\f\u000B\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

export function normalizeText(s: string): string {
  const text = s
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\u2029/g, '\n\n')
    .replace(/[\u2028\u0085]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ');
  const paragraphs: string[] = [];
  for (const block of text.split(/\n[ ]*\n/)) {
    const lines: string[] = [];
    for (const line of block.split('\n')) {
      const clean = line.replace(/ {2,}/g, ' ').trim();
      if (clean) lines.push(clean);
    }
    if (lines.length) paragraphs.push(lines.join('\n'));
  }
  return paragraphs.join('\n\n');
}

/** normalizeText applied to each paragraph, dropping the ones that end up empty. */
export function normalizeParagraphs(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const n = normalizeText(p);
    if (!n) continue;
    // A paragraph must not smuggle in a blank line: that would change the paragraph count
    // the archive and the diff see.
    for (const part of n.split('\n\n')) out.push(part);
  }
  return out;
}
