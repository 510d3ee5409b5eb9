/**
 * The extraction stage: fetched bytes → the statement text Redline archives and diffs.
 * Throws only ExtractError (binary body, bad or unmatched selector, unreadable PDF); the
 * pipeline records that as a failed check, never as a new version.
 */
import type { Extracted, ExtractInput } from './types.js';
import { decodeBytes } from './decode.js';
import { binaryReason, detectKind } from './detect.js';
import { ExtractError } from './errors.js';
import { extractHtml } from './html.js';
import { extractPdf } from './pdf.js';
import { plainTextParagraphs } from './text.js';

export { decodeBytes, type Decoded } from './decode.js';
export { normalizeText } from './normalize.js';
export { detectKind, type DocKind } from './detect.js';
export { detectBlockPage } from './blockpage.js';
export { repairMojibake } from './mojibake.js';
export { ExtractError } from './errors.js';
export { PRESETS, presetFor, type SitePreset } from './presets.js';
export type * from './types.js';

export async function extract(input: ExtractInput): Promise<Extracted> {
  const { body, contentType, url } = input;
  const kind = input.kind && input.kind !== 'auto' ? input.kind : detectKind(body, contentType, url);
  if (kind === 'pdf') return extractPdf(body, url);
  if (input.kind && input.kind !== 'auto') {
    // The watch list may force a kind, but a forced "html" must still not parse an image.
    const binary = binaryReason(body);
    if (binary) {
      throw new ExtractError('binary', `Refusing to extract text from ${url ?? 'the fetched body'}: ${binary}. Check the source URL.`, {
        url,
      });
    }
  }
  const decoded = decodeBytes(body, contentType);
  if (kind === 'html') {
    const html = extractHtml(decoded.text, { url, select: input.select, remove: input.remove });
    const out: Extracted = {
      kind: 'html',
      text: html.paragraphs.join('\n\n'),
      paragraphs: html.paragraphs,
      charset: decoded.charset,
      repairs: [...decoded.repairs, ...html.repairs],
      links: html.links,
      method: html.method,
    };
    if (html.title) out.title = html.title;
    if (html.declared) out.declared = html.declared;
    return out;
  }
  const paragraphs = plainTextParagraphs(decoded.text);
  return {
    kind: 'text',
    text: paragraphs.join('\n\n'),
    paragraphs,
    charset: decoded.charset,
    repairs: decoded.repairs,
    links: [],
    method: 'text',
  };
}
