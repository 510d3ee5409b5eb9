/** Helpers every renderer shares: options, escaping, colour choice, summary line. */
import type { Change, DiffReport } from '../types.js';

export type Format = 'unified' | 'html' | 'side-by-side' | 'md' | 'json';

export interface RenderOptions {
  /** Unified text only: ANSI colour. Default: on for a TTY, off when NO_COLOR is set (FORCE_COLOR forces it on). */
  color?: boolean;
  title?: string;
  beforeLabel?: string;
  afterLabel?: string;
  /** Markdown only: hard limit on the output length; whole changes are left out to fit. */
  maxChars?: number;
  /** Side-by-side only: show every paragraph instead of folding long unchanged stretches. */
  full?: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Whether unified output gets colour when the caller did not say: NO_COLOR
 * (any non-empty value, see no-color.org) turns it off, FORCE_COLOR turns it
 * on, otherwise only when stdout is a terminal.
 */
export function autoColor(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY;
}

const PARAGRAPH_BREAK = /[^\S\n]*\n\s*\n\s*/g;

/** One-line display form: paragraph breaks become " ¶ ", other whitespace runs one space. */
export function oneLine(s: string): string {
  return s.replace(PARAGRAPH_BREAK, ' ¶ ').replace(/\s+/g, ' ');
}

/** Paragraph position of a change for headings: "¶3", "¶3 → ¶5", "new ¶4". */
export function where(c: Change): string {
  const b = c.beforeParagraph;
  const a = c.afterParagraph;
  if (c.kind === 'move') return `¶${(b ?? 0) + 1} → ¶${(a ?? 0) + 1}`;
  if (b !== undefined && a !== undefined) return b === a ? `¶${a + 1}` : `¶${b + 1}→¶${a + 1}`;
  if (a !== undefined) return `new ¶${a + 1}`;
  if (b !== undefined) return `old ¶${b + 1}`;
  return '¶?';
}

export function summaryLine(r: DiffReport): string {
  if (!r.changed) return r.identical === false ? 'No change in wording (whitespace or line breaks only).' : 'No change.';
  const n = r.changes.length;
  const s = r.stats;
  const moved = r.changes.filter((c) => c.kind === 'move').length;
  const parts = [`${n} change${n === 1 ? '' : 's'}`, `${s.wordsAdded} word${s.wordsAdded === 1 ? '' : 's'} added`, `${s.wordsRemoved} removed`];
  if (moved) parts.push(`${moved} paragraph${moved === 1 ? '' : 's'} moved`);
  parts.push(`${s.paragraphsChanged} paragraph${s.paragraphsChanged === 1 ? '' : 's'} changed`);
  return parts.join(', ') + '.';
}

/** Checks a report is usable by a renderer and says what is missing. */
export function requireScript(r: DiffReport, format: Format): NonNullable<DiffReport['script']> {
  if (!Array.isArray(r.script)) {
    throw new TypeError(`render(${format}): the report has no edit script; pass a report made by diffText (or its JSON)`);
  }
  return r.script;
}
