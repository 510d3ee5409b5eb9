/**
 * Plain text as served. Paragraphs are separated by blank lines; a single newline inside a
 * paragraph is the sender's line wrapping, not structure, so it becomes a space (otherwise a
 * re-wrapped file would show as changed on every line).
 */
import { normalizeParagraphs } from './normalize.js';

export function plainTextParagraphs(text: string): string[] {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n[ \t\u00A0]*\n/);
  return normalizeParagraphs(blocks.map((b) => b.replace(/\n/g, ' ')));
}
