/**
 * Walks a DOM subtree and lays its text out the way a reader sees it: one paragraph per block
 * element, table rows as "cell | cell", <br> as a line break inside the paragraph, inline
 * elements joined with the spacing the markup gives them. Cheerio's .text() glues blocks
 * together ("TitleFirst paragraph"), which would make every diff noisy.
 *
 * Iterative (explicit stack), so hostile nesting depth cannot overflow the call stack.
 */
import type { AnyNode, Element } from 'domhandler';
import type { ExtractedLink } from './types.js';
import { normalizeParagraphs } from './normalize.js';

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog',
  'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol',
  'p', 'plaintext', 'pre', 'search', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'ul', 'xmp',
  'frameset', 'noframes', 'optgroup',
]);
const PRE = new Set(['pre', 'listing', 'plaintext', 'xmp', 'textarea']);
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'ftp:']);

export interface BlockText {
  paragraphs: string[];
  links: ExtractedLink[];
}

export interface WalkOptions {
  /** Absolute base for relative hrefs (the page URL, or its <base href>). */
  baseUrl?: string;
  /** Elements (and their subtrees) left out, e.g. hidden ones. */
  skip?: (el: Element) => boolean;
}

interface Sink {
  kind: 'block' | 'row' | 'cell';
  paragraphs: string[];
  inline: string[];
  cells: string[];
}

type Step = { node: AnyNode; exit: false } | { node: Element; exit: true };

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function resolveHref(href: string, baseUrl?: string): string | undefined {
  const raw = href.trim();
  if (!raw || raw.startsWith('#')) return undefined;
  try {
    const u = baseUrl ? new URL(raw, baseUrl) : new URL(raw);
    return LINK_SCHEMES.has(u.protocol) ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Paragraphs and links of the given subtrees, in document order. */
export function blockText(roots: readonly AnyNode[], options: WalkOptions = {}): BlockText {
  const root: Sink = { kind: 'block', paragraphs: [], inline: [], cells: [] };
  const sinks: Sink[] = [root];
  const links: ExtractedLink[] = [];
  const seenLinks = new Set<string>();
  // Only the innermost open <a> collects text: parsers never nest links, hostile markup may try.
  const openLinks: { el: Element; href: string; parts: string[] }[] = [];
  let preDepth = 0;

  const top = (): Sink => sinks[sinks.length - 1]!;
  const emit = (text: string): void => {
    top().inline.push(text);
    const link = openLinks[openLinks.length - 1];
    if (link) link.parts.push(text);
  };
  const flush = (sink: Sink): void => {
    if (!sink.inline.length) return;
    const text = sink.inline.join('');
    sink.inline.length = 0;
    sink.paragraphs.push(...normalizeParagraphs([text]));
  };

  const stack: Step[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, exit: false });

  while (stack.length) {
    const step = stack.pop()!;
    if (step.exit) {
      const el = step.node;
      const name = el.name;
      if (openLinks.length && openLinks[openLinks.length - 1]!.el === el) {
        const link = openLinks.pop()!;
        const text = normalizeParagraphs([link.parts.join('')]).join(' ').replace(/\n/g, ' ');
        const key = `${text}\u0000${link.href}`;
        if (!seenLinks.has(key)) {
          seenLinks.add(key);
          links.push({ text, href: link.href });
        }
      }
      if (PRE.has(name)) preDepth--;
      if ((name === 'td' || name === 'th') && top().kind === 'cell') {
        const cell = sinks.pop()!;
        flush(cell);
        const text = cell.paragraphs.join(' ').replace(/\n/g, ' ');
        const row = top();
        if (text) {
          if (row.kind === 'row') row.cells.push(text);
          else row.paragraphs.push(text);
        }
      } else if (name === 'tr' && top().kind === 'row') {
        const row = sinks.pop()!;
        flush(row);
        const cells = [...row.cells, ...row.paragraphs];
        if (cells.length) {
          flush(top());
          top().paragraphs.push(cells.join(' | '));
        }
      } else if (BLOCK.has(name)) {
        flush(top());
      }
      continue;
    }

    const node = step.node;
    if (node.type === 'text') {
      const data = node.data;
      // Inside <pre> line breaks are content; blank lines would split the paragraph, so fold them.
      emit(preDepth > 0 ? data.replace(/\n[ \t\r\f]*(?:\n[ \t\r\f]*)+/g, '\n') : data.replace(/[ \t\n\r\f]+/g, ' '));
      continue;
    }
    if (!isElement(node)) continue;
    if (node.type !== 'tag' || options.skip?.(node)) continue;
    const name = node.name;
    if (name === 'br') {
      emit('\n');
      continue;
    }
    if (name === 'img' || name === 'wbr') continue;
    if (name === 'tr') {
      flush(top());
      sinks.push({ kind: 'row', paragraphs: [], inline: [], cells: [] });
    } else if (name === 'td' || name === 'th') {
      if (top().kind !== 'row') flush(top());
      sinks.push({ kind: 'cell', paragraphs: [], inline: [], cells: [] });
    } else if (BLOCK.has(name)) {
      flush(top());
    }
    if (PRE.has(name)) preDepth++;
    if (name === 'a' && node.attribs.href !== undefined) {
      const href = resolveHref(node.attribs.href, options.baseUrl);
      if (href) openLinks.push({ el: node, href, parts: [] });
    }
    stack.push({ node, exit: true });
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, exit: false });
  }
  // Unclosed sinks cannot remain (every push has an exit step), but flush defensively.
  while (sinks.length > 1) {
    const s = sinks.pop()!;
    flush(s);
    top().paragraphs.push(...s.cells, ...s.paragraphs);
  }
  flush(root);
  return { paragraphs: root.paragraphs, links };
}
