/**
 * Side-by-side HTML: old text left, new text right, one table row per
 * paragraph (a row ends where both texts break a paragraph together; a
 * paragraph only one side has gets a row with an empty cell). Long unchanged
 * stretches fold into one row unless `full` is set.
 */
import { isBlank } from '../chars.js';
import type { DiffReport } from '../types.js';
import { moveId, segmentsHtml } from './html.js';
import { page } from './page.js';
import { escapeHtml, requireScript, type RenderOptions } from './shared.js';

const BREAK = /[^\S\n]*\n\s*\n\s*/;
/** Unchanged rows kept around each changed row. */
const CONTEXT_ROWS = 1;

interface Row {
  l: string[];
  r: string[];
  changed: boolean;
}

function buildRows(r: DiffReport): Row[] {
  const rows: Row[] = [];
  let cur: Row = { l: [], r: [], changed: false };
  const end = (): void => {
    if (cur.l.length || cur.r.length) rows.push(cur);
    cur = { l: [], r: [], changed: false };
  };
  const put = (side: 'l' | 'r' | 'both', text: string, open: string, close: string, changed: boolean): void => {
    text.split(BREAK).forEach((part, i) => {
      if (i > 0) {
        if (side === 'both') end();
        else if ((side === 'l' ? cur.r : cur.l).length === 0) end();
        else cur[side].push('<br class="pb"><br class="pb">');
      }
      if (!part) return;
      const html = open + escapeHtml(part) + close;
      if (side !== 'r') cur.l.push(html);
      if (side !== 'l') cur.r.push(html);
      if (changed) cur.changed = true;
    });
  };
  for (const [op, text, change] of requireScript(r, 'side-by-side')) {
    const blank = isBlank(text);
    if (op === '=') put('both', text, '', '', false);
    else if (op === '-') put('l', text, blank ? '' : '<del>', blank ? '' : '</del>', !blank);
    else if (op === '+') put('r', text, blank ? '' : '<ins>', blank ? '' : '</ins>', !blank);
    else {
      const c = typeof change === 'number' ? r.changes[change] : undefined;
      const k = moveId(change);
      const side = op === '<' ? 'l' : 'r';
      const inner = c && c.kind === 'move' ? segmentsHtml(c.segments, op === '<' ? 'before' : 'after') : escapeHtml(text);
      const tag = op === '<' ? 'del' : 'ins';
      const link = op === '<' ? `<a class="mv" href="#moved-to-${k}">moved ↓</a>` : `<a class="mv" href="#moved-from-${k}">moved ↑</a>`;
      const id = op === '<' ? `moved-from-${k}` : `moved-to-${k}`;
      if ((side === 'l' ? cur.r : cur.l).length > 0) end();
      cur[side].push(`<${tag} class="moved" id="${id}">${inner}</${tag}>${link}`);
      cur.changed = true;
    }
  }
  end();
  return rows;
}

export function renderSideBySide(r: DiffReport, opts: RenderOptions = {}): string {
  const rows = buildRows(r);
  const keep = rows.map((row) => opts.full === true || row.changed);
  if (opts.full !== true) {
    rows.forEach((row, i) => {
      if (!row.changed) return;
      for (let d = 1; d <= CONTEXT_ROWS; d++) {
        if (i - d >= 0) keep[i - d] = true;
        if (i + d < rows.length) keep[i + d] = true;
      }
    });
  }
  const body: string[] = [];
  let folded = 0;
  const fold = (): void => {
    if (folded > 0) body.push(`<tr><td class="fold" colspan="2">⋯ ${folded} unchanged paragraph${folded === 1 ? '' : 's'} ⋯</td></tr>`);
    folded = 0;
  };
  rows.forEach((row, i) => {
    if (!keep[i]) {
      folded++;
      return;
    }
    fold();
    body.push(`<tr${row.changed ? ' class="changed"' : ''}><td>${row.l.join('')}</td><td>${row.r.join('')}</td></tr>`);
  });
  fold();
  const head = `<thead><tr><th>${escapeHtml(opts.beforeLabel ?? 'Before')}</th><th>${escapeHtml(opts.afterLabel ?? 'After')}</th></tr></thead>`;
  return page(r, opts, 'side-by-side', `<table class="sbs">${head}<tbody>\n${body.join('\n')}\n</tbody></table>`);
}
