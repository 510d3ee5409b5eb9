/**
 * Finds the statement body on a page nobody wrote a selector for: a Readability-style scorer
 * over the DOM. Navigation, site headers and footers, cookie banners, share bars and "related
 * links" are pruned first; then paragraphs vote for their ancestors (text length, commas),
 * weighted by class/id hints and discounted by link density. <main>, <article> and
 * [role=main] win outright when they hold the page's text.
 *
 * All walks are iterative: the tree depth is attacker-controlled.
 */
import type { AnyNode, Element } from 'domhandler';

export interface ContentChoice {
  /** Root elements of the body, in document order. */
  roots: Element[];
  /** Which rule chose them: "main-element", "article-element" or "heuristic". */
  method: string;
}

interface Stats {
  text: number;
  linkText: number;
}

const NEGATIVE_WORDS = new Set([
  'nav', 'navbar', 'navigation', 'menu', 'menubar', 'breadcrumb', 'breadcrumbs', 'footer', 'header',
  'masthead', 'sidebar', 'cookie', 'cookies', 'consent', 'gdpr', 'share', 'sharing', 'social', 'related',
  'banner', 'skip', 'skiplink', 'subscribe', 'newsletter', 'promo', 'advert', 'advertisement', 'ads',
  'sponsor', 'popup', 'modal', 'toolbar', 'pager', 'pagination', 'comment', 'comments', 'feedback',
  'survey', 'widget', 'utility', 'topbar', 'signup', 'tags',
]);
const POSITIVE_WORDS = new Set([
  'article', 'content', 'main', 'body', 'statement', 'post', 'entry', 'text', 'story', 'release',
  'govspeak', 'prose', 'page', 'node',
]);
const STRONG_POSITIVE = /^(?:main|main-?content|content|article|article-?body|body-?text|statement|post-?body|entry-?content|field-?body|field-?name-?body)$/i;
const SCREEN_READER_ONLY = /^(?:element-invisible|sr-only|visually-?hidden|govuk-visually-hidden|screen-reader-text|screenreader|skip-?link|skip-to-content|show-on-focus)$/i;
const DROP_TAGS = new Set(['nav', 'aside']);
const DROP_ROLES = new Set([
  'navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'alertdialog', 'dialog',
]);
const TAG_WEIGHT: Record<string, number> = {
  div: 5, section: 5, article: 10, main: 10, pre: 3, td: 3, blockquote: 3,
  address: -3, ol: -3, ul: -3, dl: -3, dd: -3, dt: -3, li: -3, form: -3,
  h1: -5, h2: -5, h3: -5, h4: -5, h5: -5, h6: -5, th: -5,
};
const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'blockquote', 'li', 'dd']);

function isTag(node: AnyNode): node is Element {
  return node.type === 'tag';
}

function words(el: Element): string[] {
  const hint = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.toLowerCase();
  return hint.split(/[^a-z0-9]+/).filter(Boolean);
}

function hintTokens(el: Element): string[] {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.split(/\s+/).filter(Boolean);
}

function classWeight(el: Element): number {
  let w = 0;
  const ws = words(el);
  if (ws.some((x) => POSITIVE_WORDS.has(x))) w += 25;
  if (ws.some((x) => NEGATIVE_WORDS.has(x))) w -= 25;
  return w;
}

/** Elements in document order (pre-order), without recursion. */
function* elementsOf(root: AnyNode): Generator<Element> {
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isTag(node)) yield node;
    if ('children' in node) {
      const c = node.children;
      for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]!);
    }
  }
}

/** Visible-text and link-text lengths of every element, bottom-up in one pass. */
function measure(root: Element): Map<Element, Stats> {
  const stats = new Map<Element, Stats>();
  const order = [...elementsOf(root)];
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    let text = 0;
    let linkText = 0;
    for (const child of el.children) {
      if (child.type === 'text') text += child.data.replace(/\s+/g, ' ').trim().length;
      else if (isTag(child)) {
        const s = stats.get(child)!;
        text += s.text;
        linkText += child.name === 'a' ? s.text : s.linkText;
      }
    }
    stats.set(el, { text, linkText });
  }
  return stats;
}

/** Those of `els` not nested inside another of them. */
function outermostOf(els: Element[]): Element[] {
  const set = new Set<AnyNode>(els);
  return els.filter((el) => {
    for (let p = el.parent; p; p = p.parent) if (set.has(p)) return false;
    return true;
  });
}

function insideLandmark(el: Element): boolean {
  for (let p = el.parent; p; p = p.parent) {
    if (isTag(p) && (p.name === 'main' || p.name === 'article' || p.attribs.role === 'main')) return true;
  }
  return false;
}

function isUnlikely(el: Element, bodyText: number, stats: Map<Element, Stats>): boolean {
  const name = el.name;
  if (name === 'body' || name === 'html' || name === 'main' || name === 'article') return false;
  // Screen-reader-only text and skip links ("Main Content", "Skip to main content").
  if (hintTokens(el).some((t) => SCREEN_READER_ONLY.test(t))) return true;
  if (name === 'a') return false;
  const role = el.attribs.role?.toLowerCase();
  let unlikely = DROP_TAGS.has(name) || (role !== undefined && DROP_ROLES.has(role));
  if (!unlikely && (name === 'header' || name === 'footer')) unlikely = !insideLandmark(el);
  if (!unlikely) {
    const tokens = hintTokens(el);
    if (tokens.some((t) => STRONG_POSITIVE.test(t))) return false;
    unlikely = words(el).some((w) => NEGATIVE_WORDS.has(w));
  }
  if (!unlikely) return false;
  // Never prune the wrapper of the whole page ("page-with-sidebar") or the landmark itself.
  const share = bodyText ? (stats.get(el)?.text ?? 0) / bodyText : 0;
  if (share > 0.5) return false;
  for (const d of elementsOf(el)) {
    if (d !== el && (d.name === 'main' || d.attribs.role === 'main')) return false;
  }
  return true;
}

/** Removes navigation, banners, footers and similar from the tree (mutates it). */
export function pruneBoilerplate(body: Element): void {
  const stats = measure(body);
  const bodyText = stats.get(body)?.text ?? 0;
  const doomed: Element[] = [];
  const stack: AnyNode[] = [...body.children];
  while (stack.length) {
    const node = stack.pop()!;
    if (!isTag(node)) continue;
    if (isUnlikely(node, bodyText, stats)) {
      doomed.push(node);
      continue;
    }
    for (const c of node.children) stack.push(c);
  }
  detachAll(doomed);
}

/** Removes nodes from their parents; one pass per parent, so a flat page of 100k nodes stays linear. */
export function detachAll(nodes: Iterable<AnyNode>): void {
  const byParent = new Map<AnyNode, Set<AnyNode>>();
  for (const n of nodes) {
    if (!n.parent) continue;
    let set = byParent.get(n.parent);
    if (!set) byParent.set(n.parent, (set = new Set()));
    set.add(n);
  }
  for (const [parent, gone] of byParent) {
    if (!('children' in parent)) continue;
    const kept = parent.children.filter((c) => !gone.has(c));
    for (let i = 0; i < kept.length; i++) {
      kept[i]!.prev = kept[i - 1] ?? null;
      kept[i]!.next = kept[i + 1] ?? null;
    }
    parent.children = kept;
    for (const n of gone) {
      n.parent = null;
      n.prev = null;
      n.next = null;
    }
  }
}

function landmark(body: Element, stats: Map<Element, Stats>, bodyText: number): ContentChoice | undefined {
  const mains: Element[] = [];
  const articles: Element[] = [];
  for (const el of elementsOf(body)) {
    if (el.name === 'main' || el.attribs.role === 'main') mains.push(el);
    else if (el.name === 'article') articles.push(el);
  }
  const big = (el: Element, share: number): boolean => {
    const t = stats.get(el)?.text ?? 0;
    return t >= 140 && t >= bodyText * share;
  };
  const outermost = outermostOf(mains);
  if (outermost.length === 1 && big(outermost[0]!, 0.3)) return { roots: [outermost[0]!], method: 'main-element' };
  const topArticles = outermostOf(articles);
  // Several articles is a listing of teasers: let the scorer find their container.
  if (topArticles.length === 1 && big(topArticles[0]!, 0.4)) return { roots: [topArticles[0]!], method: 'article-element' };
  return undefined;
}

function score(body: Element, stats: Map<Element, Stats>): ContentChoice | undefined {
  const scores = new Map<Element, number>();
  const pointsOf = new Map<Element, number>();
  const init = (el: Element): void => {
    if (!scores.has(el)) scores.set(el, (TAG_WEIGHT[el.name] ?? 0) + classWeight(el));
  };
  for (const el of elementsOf(body)) {
    let len: number;
    if (PARAGRAPH_TAGS.has(el.name)) len = stats.get(el)?.text ?? 0;
    else if (el.name === 'div' || el.name === 'section' || el.name === 'span') {
      // A container's own text (not its children's) counts as a paragraph of its own.
      len = 0;
      for (const c of el.children) if (c.type === 'text') len += c.data.replace(/\s+/g, ' ').trim().length;
    } else continue;
    if (len < 25) continue;
    let ownText = '';
    for (const c of el.children) if (c.type === 'text') ownText += c.data;
    const commas = (ownText.match(/[,，、]/g) ?? []).length;
    const points = 1 + commas + Math.min(3, Math.floor(len / 100));
    const st = stats.get(el)!;
    const ownLinks = PARAGRAPH_TAGS.has(el.name) && st.text ? st.linkText / st.text : 0;
    pointsOf.set(el, points * (1 - ownLinks));
    let level = 0;
    for (let p = el.parent; p && level < 5; p = p.parent, level++) {
      if (!isTag(p)) break;
      init(p);
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(p, scores.get(p)! + points / divider);
      if (p === body) break;
    }
  }
  let best: Element | undefined;
  let bestScore = -Infinity;
  for (const [el, s] of scores) {
    const st = stats.get(el)!;
    const density = st.text ? st.linkText / st.text : 1;
    const final = s * (1 - density);
    scores.set(el, final);
    if (final > bestScore) {
      best = el;
      bestScore = final;
    }
  }
  if (!best || bestScore <= 0) return undefined;
  // Readability finds one article; a statement page built of many small sections (a news
  // homepage, a Drupal page nesting each teaser ten levels deep) spreads its paragraphs so
  // thin that the winner holds a sliver of them. Then take the smallest element holding
  // most of the paragraph mass instead.
  const mass = massOf(body, pointsOf);
  const total = mass.get(body) ?? 0;
  if (total > 0 && (mass.get(best) ?? 0) < total * 0.5) {
    return { roots: [clusterOf(body, mass, total * 0.7)], method: 'heuristic (content cluster)' };
  }
  // A wrapper that adds no text of its own is the same candidate: prefer the wider one,
  // so headings and teasers beside the scored paragraphs come along.
  while (best.parent && isTag(best.parent) && best !== body) {
    const parentText = stats.get(best.parent)?.text ?? 0;
    if (parentText > (stats.get(best)?.text ?? 0) * 1.05 + 20) break;
    best = best.parent;
  }
  const roots: Element[] = [];
  const parent = best.parent;
  if (parent && isTag(parent) && best !== body) {
    const threshold = Math.max(10, bestScore * 0.2);
    for (const sib of parent.children) {
      if (!isTag(sib)) continue;
      if (sib === best) {
        roots.push(sib);
        continue;
      }
      const st = stats.get(sib)!;
      const density = st.text ? st.linkText / st.text : 1;
      const s = scores.get(sib);
      if ((s !== undefined && s >= threshold) || (sib.name === 'p' && st.text > 80 && density < 0.25)) roots.push(sib);
    }
  } else roots.push(best);
  return { roots, method: 'heuristic' };
}

/** Paragraph points summed over each element's subtree (bottom-up, one pass). */
function massOf(body: Element, pointsOf: Map<Element, number>): Map<Element, number> {
  const mass = new Map<Element, number>();
  const order = [...elementsOf(body)];
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    let m = pointsOf.get(el) ?? 0;
    for (const c of el.children) if (isTag(c)) m += mass.get(c) ?? 0;
    mass.set(el, m);
  }
  return mass;
}

/** The deepest element whose subtree still holds `needed` paragraph mass. */
function clusterOf(body: Element, mass: Map<Element, number>, needed: number): Element {
  let el = body;
  for (;;) {
    const next = el.children.find((c): c is Element => isTag(c) && (mass.get(c) ?? 0) >= needed);
    if (!next) return el;
    el = next;
  }
}

/** The body of the statement; `body` must already be pruned of boilerplate. */
export function findMainContent(body: Element): ContentChoice {
  const stats = measure(body);
  const bodyText = stats.get(body)?.text ?? 0;
  return landmark(body, stats, bodyText) ?? score(body, stats) ?? { roots: [body], method: 'heuristic (whole page)' };
}
