/**
 * A short, size-bounded excerpt of a DiffReport in the markup each channel speaks.
 * Stands in for the diff engine's render() until that lands; kept small on purpose.
 * Every piece of page text passes through the flavor's escape before any markup is added.
 */
import type { Change, DiffReport, Segment } from '../diff/types.js';
import { escapeHtml, escapeMarkdown, escapeSlack } from './text.js';

export interface Flavor {
  name: 'text' | 'md' | 'slack' | 'html' | 'matrix';
  esc(raw: string): string;
  /** Mark escaped text as deleted / inserted. */
  del(escaped: string): string;
  ins(escaped: string): string;
  /** One change: escaped label + rendered body. */
  block(label: string, body: string): string;
  /** Between blocks and between the parts of a message. */
  sep: string;
  /** A link; `text` is raw. */
  link(text: string, url: string): string;
  /** A line of emphasis (the summary); `text` is raw. */
  strong(text: string): string;
  /** A paragraph of raw text. */
  para(text: string): string;
}

/** Percent-encode the characters that would end a link in the target markup. */
function pctEncode(url: string, chars: RegExp): string {
  return url.replace(chars, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const DEL_STYLE = 'background:#ffe6e6;color:#8b0000;text-decoration:line-through';
const INS_STYLE = 'background:#e6ffe6;color:#004d00;text-decoration:none;font-weight:bold';

export const flavors: Record<Flavor['name'], Flavor> = {
  text: {
    name: 'text',
    esc: (s) => s,
    del: (s) => `[-${s}-]`,
    ins: (s) => `{+${s}+}`,
    block: (label, body) => `${label}: ${body}`,
    sep: '\n\n',
    link: (text, url) => `${text}: ${url}`,
    strong: (s) => s,
    para: (s) => s,
  },
  md: {
    name: 'md',
    esc: escapeMarkdown,
    del: (s) => `~~${s}~~`,
    ins: (s) => `**${s}**`,
    block: (label, body) => `**${label}** ${body}`,
    sep: '\n\n',
    link: (text, url) => `[${escapeMarkdown(text)}](${pctEncode(url, /[()<>\s]/g)})`,
    strong: (s) => `**${escapeMarkdown(s)}**`,
    para: escapeMarkdown,
  },
  slack: {
    name: 'slack',
    esc: escapeSlack,
    del: (s) => `~${s}~`,
    ins: (s) => `*${s}*`,
    block: (label, body) => `*${label}* ${body}`,
    sep: '\n\n',
    link: (text, url) => `<${pctEncode(url, /[|<>\s]/g)}|${escapeSlack(text)}>`,
    strong: (s) => `*${escapeSlack(s)}*`,
    para: escapeSlack,
  },
  html: {
    name: 'html',
    esc: escapeHtml,
    del: (s) => `<del style="${DEL_STYLE}">${s}</del>`,
    ins: (s) => `<ins style="${INS_STYLE}">${s}</ins>`,
    block: (label, body) => `<p><b>${label}</b> ${body}</p>`,
    sep: '\n',
    link: (text, url) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`,
    strong: (s) => `<p><b>${escapeHtml(s)}</b></p>`,
    para: (s) => `<p>${escapeHtml(s)}</p>`,
  },
  // Matrix clients accept a tag allow-list without style attributes or <ins>.
  matrix: {
    name: 'matrix',
    esc: escapeHtml,
    del: (s) => `<del>${s}</del>`,
    ins: (s) => `<u><strong>${s}</strong></u>`,
    block: (label, body) => `<p><b>${label}</b> ${body}</p>`,
    sep: '\n',
    link: (text, url) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`,
    strong: (s) => `<p><b>${escapeHtml(s)}</b></p>`,
    para: (s) => `<p>${escapeHtml(s)}</p>`,
  },
};

export interface ExcerptOptions {
  /** Hard limit on the excerpt's length in the target markup. */
  maxChars: number;
  /** Unchanged words kept on each side of an edit. */
  contextWords?: number;
  /** Longest inserted/deleted run shown before it is cut. */
  maxChangeChars?: number;
}

export interface Excerpt {
  text: string;
  /** Changes rendered / in the report. */
  shown: number;
  total: number;
}

const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function tidy(text: string): string {
  return text.replace(UNSAFE, '').replace(/\s+/g, ' ');
}

function wordsOf(text: string): string[] {
  return text.split(' ').filter(Boolean);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const space = head.lastIndexOf(' ');
  const kept = space > max / 2 ? head.slice(0, space) : head;
  const rest = wordsOf(text.slice(kept.length)).length;
  return `${kept} … [+${rest} words]`;
}

function segmentsOf(change: Change): Segment[] {
  if (change.segments.length > 0) return change.segments;
  const out: Segment[] = [];
  if (change.removed) out.push({ op: 'delete', text: change.removed });
  if (change.added) out.push({ op: 'insert', text: change.added });
  return out;
}

function label(change: Change): string {
  const before = change.beforeParagraph;
  const after = change.afterParagraph;
  if (change.kind === 'move' && before !== undefined && after !== undefined) return `¶ ${before + 1} → ¶ ${after + 1} (moved)`;
  if (change.kind === 'insert' && before === undefined && after !== undefined) return `¶ ${after + 1} (new)`;
  if (change.kind === 'delete' && after === undefined && before !== undefined) return `¶ ${before + 1} (removed)`;
  const p = after ?? before;
  return p === undefined ? '¶' : `¶ ${p + 1}`;
}

/** Wrap the non-space core of `raw` so markers such as ~x~ stay attached to words. */
function mark(raw: string, flavor: Flavor, op: 'insert' | 'delete'): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(raw)!;
  if (!m[2]) return raw;
  const core = flavor.esc(m[2]);
  return `${m[1]}${op === 'insert' ? flavor.ins(core) : flavor.del(core)}${m[3]}`;
}

function renderChange(change: Change, flavor: Flavor, ctx: number, maxChange: number): string {
  const segs = segmentsOf(change).map((s) => ({ op: s.op, text: tidy(s.text) }));
  if (change.kind === 'move') {
    const text = cut(change.added || change.removed, maxChange);
    return flavor.block(flavor.esc(label(change)), flavor.esc(text.trim()));
  }
  const parts: string[] = [];
  segs.forEach((s, i) => {
    if (s.op !== 'equal') {
      const prev = segs[i - 1];
      // "must" deleted and "should" inserted at one spot: keep them apart on screen.
      const gap = prev && prev.op !== 'equal' && prev.op !== s.op && !/\s$/.test(prev.text) && !/^\s/.test(s.text) ? ' ' : '';
      parts.push(gap + mark(cut(s.text, maxChange), flavor, s.op));
      return;
    }
    const w = wordsOf(s.text);
    const lead = s.text.startsWith(' ') ? ' ' : '';
    const trail = s.text.endsWith(' ') ? ' ' : '';
    const first = i === 0;
    const last = i === segs.length - 1;
    let text: string;
    if (first && last) text = w.slice(0, ctx * 2).join(' ') + (w.length > ctx * 2 ? ' …' : '');
    else if (first) text = (w.length > ctx ? '… ' : '') + w.slice(-ctx).join(' ') + trail;
    else if (last) text = lead + w.slice(0, ctx).join(' ') + (w.length > ctx ? ' …' : '');
    else if (w.length > ctx * 2) text = `${lead}${w.slice(0, ctx).join(' ')} … ${w.slice(-ctx).join(' ')}${trail}`;
    else text = s.text;
    parts.push(flavor.esc(text));
  });
  return flavor.block(flavor.esc(label(change)), parts.join('').trim());
}

const NOTE_ROOM = 80;

export function renderExcerpt(report: DiffReport | undefined, flavor: Flavor, opts: ExcerptOptions): Excerpt {
  const changes = report?.changes ?? [];
  const total = changes.length;
  const blocks: string[] = [];
  let shown = 0;
  let used = 0;
  const ctx = opts.contextWords ?? 8;
  const maxChange = opts.maxChangeChars ?? 600;
  for (const change of changes) {
    const room = opts.maxChars - used - (blocks.length > 0 ? flavor.sep.length : 0) - (blocks.length + 1 < total ? NOTE_ROOM : 0);
    let block = renderChange(change, flavor, ctx, maxChange);
    // The first change must show even in a tight budget: shrink it rather than show nothing.
    for (let limit = maxChange; block.length > room && blocks.length === 0 && limit > 20; ) {
      limit = Math.floor(limit / 2);
      block = renderChange(change, flavor, Math.min(ctx, 3), limit);
    }
    if (block.length > room) break;
    used += block.length + (blocks.length > 0 ? flavor.sep.length : 0);
    blocks.push(block);
    shown++;
  }
  if (shown < total) {
    const more = total - shown;
    const note = flavor.para(`… ${more} more change${more === 1 ? '' : 's'} not shown`);
    if (used + flavor.sep.length + note.length <= opts.maxChars) blocks.push(note);
  }
  return { text: blocks.join(flavor.sep), shown, total };
}
