/**
 * Markdown for chat and issue trackers: a summary line and one bullet per
 * change, deletions as ~~strike~~ and insertions as **bold**. Page text is
 * escaped so it cannot open links, images, HTML or code, start a heading or
 * list (line breaks are flattened), or @-mention anyone. `maxChars` is a
 * hard limit: whole changes are left out from the end and counted.
 */
import type { Change, DiffReport, Segment } from '../types.js';
import { oneLine, summaryLine, where, type RenderOptions } from './shared.js';

/** Longest removed/added text shown in one bullet; chat messages are for noticing, the HTML is for reading. */
const MAX_PIECE_CHARS = 600;

export function escapeMarkdown(s: string): string {
  return oneLine(s)
    .replace(/[\\`*_[\]<>~&|]/g, '\\$&')
    .replace(/@/g, '@\u200b');
}

function piece(s: string): string {
  const flat = oneLine(s);
  if (flat.length <= MAX_PIECE_CHARS) return escapeMarkdown(flat);
  return `${escapeMarkdown(flat.slice(0, MAX_PIECE_CHARS))}… (${flat.length - MAX_PIECE_CHARS} more characters)`;
}

function segmentMd(s: Segment): string {
  const t = s.text.trim() ? piece(s.text) : '';
  if (s.op === 'equal') return t ? piece(s.text) : oneLine(s.text);
  // Delimiters must hug non-space text to render, so outer spaces stay outside them.
  const lead = /^\s/.test(s.text) ? ' ' : '';
  const trail = /\s$/.test(s.text) ? ' ' : '';
  if (!t) return lead || trail;
  return s.op === 'delete' ? `${lead}~~${t}~~${trail}` : `${lead}**${t}**${trail}`;
}

export function changeLine(c: Change): string {
  const head = `- ${c.kind === 'move' ? 'moved ' : ''}${where(c)}: `;
  if (c.kind === 'move') return head + c.segments.map(segmentMd).join('');
  let before = c.contextBefore ? piece(c.contextBefore) : '';
  let after = c.contextAfter ? piece(c.contextAfter) : '';
  // ~~ and ** only render next to a space or punctuation, so glue-free context gets a space.
  if (before && !before.endsWith(' ')) before += ' ';
  if (after && !after.startsWith(' ')) after = ' ' + after;
  const old = c.removed ? `~~${piece(c.removed)}~~` : '';
  const now = c.added ? `**${piece(c.added)}**` : '';
  return `${head}${before}${old}${old && now ? ' ' : ''}${now}${after}`;
}

function footer(left: number): string {
  return `_… and ${left} more change${left === 1 ? '' : 's'} not shown._`;
}

export function renderMarkdown(r: DiffReport, opts: RenderOptions = {}): string {
  const head: string[] = [];
  if (opts.title) head.push(`**${escapeMarkdown(opts.title)}**`);
  if (opts.beforeLabel !== undefined || opts.afterLabel !== undefined) {
    head.push(`${escapeMarkdown(opts.beforeLabel ?? 'before')} → ${escapeMarkdown(opts.afterLabel ?? 'after')}`);
  }
  head.push(escapeMarkdown(summaryLine(r)));
  if (r.degraded) head.push(`⚠ ${escapeMarkdown(`Compared more coarsely in places: ${r.degradedReason ?? ''}`)}`);
  const limit = opts.maxChars;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`render(md): maxChars must be a positive integer, got ${String(limit)}`);
  }
  let text = head.join('\n\n');
  const lines = r.changes.map(changeLine);
  if (limit === undefined) return lines.length ? `${text}\n\n${lines.join('\n')}\n` : `${text}\n`;

  const reserve = 2 + footer(lines.length).length;
  let shown = 0;
  let body = '';
  for (const line of lines) {
    const sep = shown === 0 ? '\n\n' : '\n';
    const last = shown === lines.length - 1;
    // The footer is only needed when something is left out, so the last change may use its room.
    if (text.length + body.length + sep.length + line.length + 1 + (last ? 0 : reserve) > limit) break;
    body += sep + line;
    shown++;
  }
  text += body;
  if (shown < lines.length) text += `${shown === 0 ? '\n\n' : '\n\n'}${footer(lines.length - shown)}`;
  text += '\n';
  // A summary alone can outrun a tiny limit: cut it, never the promise.
  return text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 2))}…\n`.slice(0, limit);
}
