/**
 * HTML page → statement text. Which rule finds the body, in order: the source's `select`
 * (an error if nothing matches: silently archiving the whole page instead would bury the
 * statement under navigation changes), a site preset, then main-content detection.
 */
import { load } from 'cheerio/slim';
import type { CheerioAPI } from 'cheerio';
import { parse as parseHtml5 } from 'parse5';
import { adapter as domhandlerAdapter } from 'parse5-htmlparser2-tree-adapter';
import type { AnyNode, Element } from 'domhandler';
import type { DeclaredDates, ExtractedLink } from './types.js';
import { blockText, resolveHref } from './blocks.js';
import { findMainContent, pruneBoilerplate, detachAll } from './content.js';
import { genericDeclaredDates, mergeDeclared, takeDateLines } from './dates.js';
import { ExtractError, where } from './errors.js';
import { limitNesting, MAX_NESTING } from './nesting.js';
import { presetFor } from './presets.js';

export interface HtmlOptions {
  url?: string;
  select?: string[];
  remove?: string[];
}

export interface HtmlResult {
  paragraphs: string[];
  title?: string;
  links: ExtractedLink[];
  method: string;
  declared?: DeclaredDates;
  repairs: string[];
}

// Never statement wording: code, styling, embedded media, and form controls.
const JUNK =
  'script, style, template, noscript, svg, math, iframe, frame, frameset, object, embed, canvas, audio, video, ' +
  'input, select, textarea, button, option, datalist, output, progress, meter, dialog[aria-modal="true"]';

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function query($: CheerioAPI, selector: string, role: 'select' | 'remove', url?: string) {
  try {
    return $(selector);
  } catch (err) {
    throw new ExtractError(
      'bad-selector',
      `${role} selector '${selector}' is not valid CSS (${(err as Error).message}); fix it in the source's ${role} list (extracting ${where(url)})`,
      { url, cause: err },
    );
  }
}

/** Matched elements minus those inside another match, so nothing is extracted twice. */
function outermost(nodes: Element[]): Element[] {
  const set = new Set<AnyNode>(nodes);
  return nodes.filter((el) => {
    for (let p = el.parent; p; p = p.parent) if (set.has(p)) return false;
    return true;
  });
}

function firstMatch($: CheerioAPI, selectors: string[], url?: string): { roots: Element[]; selector: string } | undefined {
  for (const sel of selectors) {
    const found = query($, sel, 'select', url)
      .toArray()
      .filter((n): n is Element => n.type === 'tag');
    if (found.length) return { roots: outermost(found), selector: sel };
  }
  return undefined;
}

function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true;
  const style = el.attribs.style;
  return style !== undefined && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i.test(style);
}

function baseUrlOf($: CheerioAPI, url?: string): string | undefined {
  const base = $('base[href]').first().attr('href');
  if (base) {
    const resolved = resolveHref(base, url);
    if (resolved) return resolved;
  }
  return url;
}

/** The first element named `name` inside the roots, as a list of zero or one (iterative walk). */
function firstTag(roots: Element[], name: string): Element[] {
  const stack: AnyNode[] = [...roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    if (node.name === name) return [node];
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return [];
}

function textOf(els: AnyNode[]): string | undefined {
  for (const el of els) {
    const t = squash(blockText([el]).paragraphs.join(' '));
    if (t) return t;
  }
  return undefined;
}

export function extractHtml(source: string, options: HtmlOptions = {}): HtmlResult {
  const { url } = options;
  const repairs: string[] = [];
  const limited = limitNesting(source);
  if (limited.dropped) {
    repairs.push(`html: ${limited.dropped} tags nested deeper than ${MAX_NESTING} levels were flattened (text kept)`);
  }
  // The same HTML5 parse (parse5 into domhandler's tree) that cheerio's default entry does,
  // handed to its slim build: the default entry also loads a fetch client, a stream parser and
  // an encoding sniffer Redline never uses (~15 MB of RSS in every process that extracts).
  const $ = load(parseHtml5(limited.html, { treeAdapter: domhandlerAdapter, scriptingEnabled: true }));
  const preset = presetFor(url);
  const baseUrl = baseUrlOf($, url);

  const declared = mergeDeclared(preset?.dates($), genericDeclaredDates($));
  const docTitle = squash($('title').first().text()) || undefined;
  const ogTitle = squash($('meta[property="og:title"]').attr('content') ?? '') || undefined;

  $(JUNK).remove();
  const hidden = $('[hidden], [style]')
    .toArray()
    .filter((n): n is Element => n.type === 'tag' && isHidden(n));
  detachAll(hidden);
  const removals = [...(preset?.remove ?? []), ...(options.remove ?? [])];
  for (const sel of removals) query($, sel, 'remove', url).remove();

  const body = $('body').get(0) ?? ($.root().children().get(0) as Element | undefined);
  const pageH1 = textOf($('h1').toArray());
  const presetTitle = preset ? textOf(preset.title.flatMap((sel) => $(sel).toArray())) : undefined;

  let roots: Element[];
  let method: string;
  const select = options.select?.filter((s) => s.trim() !== '') ?? [];
  if (select.length) {
    const hit = firstMatch($, select, url);
    if (!hit) {
      const list = select.map((s) => `'${s}'`).join(', ');
      throw new ExtractError(
        'select-no-match',
        `select ${list} matched nothing ${where(url)}; the page layout may have changed. ` +
          `Open the page, find the statement body and update the source's select list.`,
        { url },
      );
    }
    roots = hit.roots;
    method = `select:${hit.selector}`;
  } else {
    const hit = preset ? firstMatch($, preset.select, url) : undefined;
    if (hit && preset) {
      roots = hit.roots;
      method = `preset:${preset.name}`;
    } else if (body) {
      pruneBoilerplate(body);
      const choice = findMainContent(body);
      roots = choice.roots;
      method = preset ? `${choice.method} (preset ${preset.name} matched nothing)` : choice.method;
    } else {
      roots = [];
      method = 'heuristic (empty document)';
    }
  }

  const walked = blockText(roots, { baseUrl, skip: isHidden });
  const { links } = walked;
  const stamped = takeDateLines(walked.paragraphs);
  const paragraphs = stamped.paragraphs;
  if (stamped.modified && !declared.modified) declared.modified = stamped.modified;
  const h1InBody = textOf(firstTag(roots, 'h1'));
  const title = presetTitle ?? h1InBody ?? pageH1 ?? ogTitle ?? docTitle;
  const result: HtmlResult = { paragraphs, links, method, repairs };
  if (title) result.title = title;
  if (Object.keys(declared).length) result.declared = declared;
  return result;
}
