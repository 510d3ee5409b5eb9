/**
 * Guard against hostile nesting depth before the HTML parser sees the page. parse5 (and
 * htmlparser2) take time quadratic in the depth of open elements: 10k nested <div>s parse in
 * 0.5 s, 100k take ~50 s on this machine. Browsers cap the tree depth too (Chromium at 512), so
 * tags beyond the limit are dropped here and their text kept; real statement pages nest a few
 * dozen levels at most.
 *
 * The depth is estimated by a linear tag scan with the common implied end tags (p, li, td …);
 * it only has to be right for absurd inputs, so it is an approximation by design.
 */

export const MAX_NESTING = 400;

const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
  'param', 'keygen', 'basefont', 'bgsound', 'frame',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
const IMPLIED_BY_SELF = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'rb', 'rt', 'rp']);
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav',
  'ol', 'p', 'pre', 'section', 'table', 'ul',
]);
/** Block elements whose (dropped) tags are replaced by a void block, so paragraphs stay apart. */
const BREAKS_PARAGRAPH = new Set([...CLOSES_P, 'li', 'dt', 'dd', 'tr', 'td', 'th', 'caption', 'center', 'tbody', 'thead', 'tfoot']);
// How far down the open-element stack an implied end tag is looked for.
const LOOKBACK = 8;

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>/g;

interface Open {
  name: string;
  dropped: boolean;
}

// An implied end tag never reaches past these: a <td> inside a nested <table> does not close
// the outer table's cell, so nested tables really do nest.
const SCOPE: Record<string, Set<string>> = {
  td: new Set(['table']),
  th: new Set(['table']),
  tr: new Set(['table']),
  li: new Set(['ul', 'ol', 'menu']),
  dt: new Set(['dl']),
  dd: new Set(['dl']),
  p: new Set(['table', 'td', 'th', 'caption', 'button', 'object', 'marquee']),
  option: new Set(['select', 'datalist']),
};

/** Closes the nearest open `name` (within LOOKBACK) and what is above it; returns kept ones closed. */
function popTo(stack: Open[], name: string, implied = false): { found: boolean; dropped: boolean; keptClosed: number } {
  const scope = implied ? SCOPE[name] : undefined;
  for (let i = stack.length - 1, n = 0; i >= 0 && n < LOOKBACK; i--, n++) {
    if (scope?.has(stack[i]!.name)) break;
    if (stack[i]!.name === name) {
      let keptClosed = 0;
      for (let j = i; j < stack.length; j++) if (!stack[j]!.dropped) keptClosed++;
      const dropped = stack[i]!.dropped;
      stack.length = i;
      return { found: true, dropped, keptClosed };
    }
  }
  return { found: false, dropped: false, keptClosed: 0 };
}

function scan(html: string, rewrite: boolean): { maxDepth: number; html: string; dropped: number } {
  const stack: Open[] = [];
  let kept = 0;
  let maxDepth = 0;
  let dropped = 0;
  const out: string[] = [];
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    if (m[2] === undefined) continue; // comment
    const name = m[2].toLowerCase();
    const tag = m[0];
    let drop = false;
    if (m[1] === '/') {
      const closed = popTo(stack, name);
      drop = closed.dropped;
      kept -= closed.keptClosed;
    } else {
      if (IMPLIED_BY_SELF.has(name) || CLOSES_P.has(name)) {
        kept -= popTo(stack, IMPLIED_BY_SELF.has(name) ? name : 'p', true).keptClosed;
      }
      if (!VOID.has(name) && !tag.endsWith('/>')) {
        drop = kept >= MAX_NESTING;
        stack.push({ name, dropped: drop });
        if (!drop) kept++;
        if (stack.length > maxDepth) maxDepth = stack.length;
      }
      if (RAW_TEXT.has(name)) {
        // toLowerCase() could change string length (e.g. "İ"), so search case-insensitively.
        const close = new RegExp(`</${name}`, 'gi');
        close.lastIndex = TOKEN.lastIndex;
        const end = close.exec(html);
        TOKEN.lastIndex = end ? end.index : html.length;
      }
    }
    if (rewrite && drop) {
      out.push(html.slice(last, m.index));
      // A dropped block tag still ends a paragraph: without a boundary the statement's
      // paragraphs would run together into one and read as a rewrite of the whole page.
      if (BREAKS_PARAGRAPH.has(name)) out.push('<hr>');
      last = m.index + tag.length;
      if (m[1] !== '/') dropped++;
    }
  }
  if (!rewrite) return { maxDepth, html, dropped: 0 };
  out.push(html.slice(last));
  return { maxDepth, html: out.join(''), dropped };
}

/** The page with tags beyond MAX_NESTING removed (text kept), and how many were removed. */
export function limitNesting(html: string): { html: string; dropped: number } {
  if (scan(html, false).maxDepth <= MAX_NESTING) return { html, dropped: 0 };
  const r = scan(html, true);
  return { html: r.html, dropped: r.dropped };
}
