/**
 * Inline redline HTML: the new text in full, with deletions struck through
 * (<del>) and insertions highlighted (<ins>) in place; moved paragraphs are
 * marked at both ends and linked, with their inner edits shown where they
 * now stand. Whitespace-only differences are not highlighted. Every piece of
 * page text goes through escapeHtml.
 */
import { isBlank } from '../chars.js';
import type { DiffReport, Segment } from '../types.js';
import { page } from './page.js';
import { escapeHtml, requireScript, type RenderOptions } from './shared.js';

const BREAK = /[^\S\n]*\n\s*\n\s*/;

/** Segments as HTML: 'both' shows deletions and insertions, 'before'/'after' only that side's text. */
export function segmentsHtml(segments: Segment[], show: 'both' | 'before' | 'after'): string {
  return segments
    .map((s) => {
      if (s.op === 'equal') return escapeHtml(s.text);
      if (s.op === 'delete') return show === 'after' ? '' : `<del>${escapeHtml(s.text)}</del>`;
      return show === 'before' ? '' : `<ins>${escapeHtml(s.text)}</ins>`;
    })
    .join('');
}

/** Move index as an id fragment: reports may come from JSON, so never trust it to be a number. */
export function moveId(k: unknown): string {
  return Number.isSafeInteger(k) ? String(k) : 'x';
}

export function inlineBody(r: DiffReport): string {
  const script = requireScript(r, 'html');
  const out: string[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length > 0) out.push(`<p>${para.join('')}</p>`);
    para = [];
  };
  const emit = (text: string, open: string, close: string): void => {
    text.split(BREAK).forEach((part, i) => {
      if (i > 0) flush();
      if (part) para.push(open + escapeHtml(part) + close);
    });
  };
  for (const [op, text, change] of script) {
    const k = moveId(change);
    if (op === '=') emit(text, '', '');
    else if (op === '-') {
      if (!isBlank(text)) emit(text, '<del>', '</del>');
    } else if (op === '+') {
      if (isBlank(text)) emit(text, '', '');
      else emit(text, '<ins>', '</ins>');
    } else if (op === '<') {
      para.push(`<del class="moved" id="moved-from-${k}">${escapeHtml(text)}</del><a class="mv" href="#moved-to-${k}">moved ↓</a>`);
    } else {
      const c = typeof change === 'number' ? r.changes[change] : undefined;
      const inner = c && c.kind === 'move' ? segmentsHtml(c.segments, 'both') : escapeHtml(text);
      para.push(`<a class="mv" href="#moved-from-${k}">moved ↑</a><ins class="moved" id="moved-to-${k}">${inner}</ins>`);
    }
  }
  flush();
  return `<article class="redline">\n${out.join('\n')}\n</article>`;
}

export function renderHtml(r: DiffReport, opts: RenderOptions = {}): string {
  return page(r, opts, 'inline', inlineBody(r));
}
