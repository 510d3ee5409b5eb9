/**
 * Unified text, like `git diff --word-diff`: one hunk per change with its
 * context. Without colour, deletions read [-old-] and insertions {+new+};
 * with colour (ANSI), red and green. Page text cannot drive the terminal:
 * control characters and bidi overrides are shown as escapes.
 */
import type { Change, DiffReport, Segment } from '../types.js';
import { autoColor, oneLine, summaryLine, where, type RenderOptions } from './shared.js';

const RESET = '\x1b[0m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const CYAN = '\x1b[36m';
const BOLD = '\x1b[1m';
const YELLOW = '\x1b[33m';

/** Control characters (except tab/newline, handled by oneLine) and bidi controls as visible escapes. */
export function terminalSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function paint(color: boolean, code: string, s: string): string {
  return color && s ? code + s + RESET : s;
}

function segmentText(seg: Segment, color: boolean): string {
  const t = terminalSafe(oneLine(seg.text));
  if (seg.op === 'equal') return t;
  if (color) return paint(true, seg.op === 'delete' ? RED : GREEN, t);
  return seg.op === 'delete' ? `[-${t}-]` : `{+${t}+}`;
}

const WORDY = /[\p{L}\p{N}]/u;

/**
 * Joins segments; a marker squeezed between two letters ("staff[-and-]") gets
 * a space so it reads as a separate word (old and new alternatives stay glued).
 */
function joinSegments(segments: Segment[], color: boolean): string {
  let out = '';
  let prevEnd = '';
  let prevOp = '';
  for (const s of segments) {
    const flat = oneLine(s.text);
    if (!flat) continue;
    if (prevOp && (prevOp === 'equal') !== (s.op === 'equal') && WORDY.test(prevEnd) && WORDY.test(flat[0])) out += ' ';
    out += segmentText(s, color);
    prevEnd = flat[flat.length - 1];
    prevOp = s.op;
  }
  return out;
}

function hunk(c: Change, color: boolean): string {
  const label = c.kind === 'move' ? 'moved' : c.kind;
  const head = paint(color, CYAN, `@@ ${where(c)} @@`) + ` ${label}`;
  return `${head}\n${joinSegments(c.segments, color)}`;
}

export function renderUnified(r: DiffReport, opts: RenderOptions = {}): string {
  const color = opts.color ?? autoColor();
  const lines: string[] = [];
  lines.push(paint(color, BOLD, `--- ${terminalSafe(oneLine(opts.beforeLabel ?? 'before'))}`));
  lines.push(paint(color, BOLD, `+++ ${terminalSafe(oneLine(opts.afterLabel ?? 'after'))}`));
  if (opts.title) lines.push(`# ${terminalSafe(oneLine(opts.title))}`);
  lines.push(summaryLine(r));
  if (r.degraded) lines.push(paint(color, YELLOW, `! degraded: ${terminalSafe(oneLine(r.degradedReason ?? 'some regions were compared by sentence or paragraph'))}`));
  for (const c of r.changes) lines.push('', hunk(c, color));
  return lines.join('\n') + '\n';
}
