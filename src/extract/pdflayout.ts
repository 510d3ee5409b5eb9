/**
 * Rebuilds reading text from positioned PDF text items: items → lines (baseline, font size),
 * running headers and page numbers dropped when they repeat across pages, lines → paragraphs
 * (line gaps, font-size changes, indentation, bullets, short lines), and line-end hyphens
 * resolved against the document's own vocabulary.
 *
 * Pure functions over plain data, so the rules can be tested without a PDF.
 */

export interface PdfItem {
  str: string;
  /** Baseline origin in PDF user space (y grows upwards). */
  x: number;
  y: number;
  width: number;
  /** Font size in user-space units. */
  size: number;
}

export interface PdfPage {
  number: number;
  height: number;
  items: PdfItem[];
}

export interface PdfLine {
  page: number;
  x: number;
  /** Where the text starts after a leading bullet (the hanging indent of a list item). */
  textX: number;
  right: number;
  y: number;
  size: number;
  text: string;
  bullet: boolean;
  /** The line opens with a smaller, numeric item: a footnote marker. */
  footnoteStart: boolean;
}

const BULLET = /^(?:[•◦▪▫‣●○■□➢►\u2013\u2014*·-]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])\s/i;
const BULLET_CHARS = /^[•◦▪▫‣●○■□➢►·*]$/;
// Furniture lives in the top and bottom 7% of a page.
const BAND = 0.07;
const PAGE_NUMBER = /^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

interface Building {
  items: PdfItem[];
  y: number;
  size: number;
}

function finishLine(page: number, b: Building): PdfLine | undefined {
  const sizes = new Map<number, number>();
  for (const it of b.items) {
    const key = Math.round(it.size * 10) / 10;
    sizes.set(key, (sizes.get(key) ?? 0) + it.str.trim().length);
  }
  let size = b.size;
  let best = -1;
  for (const [s, n] of sizes) if (n > best) [size, best] = [s, n];
  let text = '';
  let prevEnd = -Infinity;
  let baseline = b.y;
  for (const it of b.items) if (Math.abs(it.size - size) < 0.5) baseline = it.y;
  for (const it of b.items) {
    const gap = it.x - prevEnd;
    const raised = it.size < size * 0.8 && it.y > baseline + size * 0.15;
    if (text && !/\s$/.test(text) && !/^\s/.test(it.str) && (gap > size * 0.2 || raised)) text += ' ';
    text += it.str;
    prevEnd = it.x + it.width;
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const visible = b.items.filter((it) => it.str.trim());
  const first = visible[0]!;
  const x = first.x;
  let textX = x;
  const bullet = BULLET.test(text) || BULLET_CHARS.test(first.str.trim());
  if (bullet && BULLET_CHARS.test(first.str.trim()) && visible[1]) textX = visible[1].x;
  const right = visible.reduce((m, it) => Math.max(m, it.x + it.width), -Infinity);
  const footnoteStart = first.size < size * 0.8 && /^\d{1,3}\s*$/.test(first.str) && visible.length > 1;
  return { page, x, textX, right, y: baseline, size, text, bullet, footnoteStart };
}

/** Items in content-stream order grouped into lines; header/footer-band lines moved to the page edges. */
export function linesOfPage(page: PdfPage): PdfLine[] {
  const lines: PdfLine[] = [];
  let cur: Building | undefined;
  let curEnd = -Infinity;
  for (const it of page.items) {
    if (!it.str || !Number.isFinite(it.x) || !Number.isFinite(it.y)) continue;
    const size = it.size > 0 && Number.isFinite(it.size) ? it.size : 1;
    const item = { ...it, size };
    const sameLine =
      cur !== undefined &&
      Math.abs(item.y - cur.y) <= Math.max(size, cur.size) * 0.5 &&
      item.x >= curEnd - Math.max(size, cur.size) * 2;
    if (!sameLine) {
      if (cur) {
        const line = finishLine(page.number, cur);
        if (line) lines.push(line);
      }
      cur = { items: [], y: item.y, size };
    }
    cur!.items.push(item);
    if (item.str.trim()) curEnd = item.x + item.width;
    if (size > cur!.size) cur!.size = size;
  }
  if (cur) {
    const line = finishLine(page.number, cur);
    if (line) lines.push(line);
  }
  const top = lines.filter((l) => l.y > page.height * (1 - BAND));
  const bottom = lines.filter((l) => l.y < page.height * BAND);
  const middle = lines.filter((l) => l.y <= page.height * (1 - BAND) && l.y >= page.height * BAND);
  return [...top, ...middle, ...bottom];
}

function inBand(l: PdfLine, height: number): boolean {
  return l.y > height * (1 - BAND) || l.y < height * BAND;
}

/**
 * Drops running headers/footers and page numbers: band lines whose text (digits masked)
 * recurs on at least half the pages, and page-number lines that count the pages.
 */
export function dropFurniture(pages: PdfLine[][], heights: number[]): { pages: PdfLine[][]; dropped: number } {
  const n = pages.length;
  const seen = new Map<string, Set<number>>();
  pages.forEach((lines, i) => {
    for (const l of lines) {
      if (!inBand(l, heights[i]!)) continue;
      const key = l.text.replace(/\d+/g, '#').toLowerCase();
      if (!seen.has(key)) seen.set(key, new Set());
      seen.get(key)!.add(i);
    }
  });
  let dropped = 0;
  const out = pages.map((lines, i) =>
    lines.filter((l) => {
      if (!inBand(l, heights[i]!)) return true;
      const key = l.text.replace(/\d+/g, '#').toLowerCase();
      const count = seen.get(key)?.size ?? 0;
      const pageNumber = PAGE_NUMBER.test(l.text);
      const repeated = n >= 2 && count >= Math.max(2, Math.ceil(n / 2));
      const countsPages = pageNumber && (n === 1 ? /\b1\b/.test(l.text) : count >= 2);
      if (repeated || countsPages) {
        dropped++;
        return false;
      }
      return true;
    }),
  );
  return { pages: out, dropped };
}

function median(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function vocabulary(lines: PdfLine[]): Set<string> {
  const words = new Set<string>();
  for (const l of lines) for (const w of l.text.toLowerCase().match(/[\p{L}\p{N}'’-]+/gu) ?? []) words.add(w);
  return words;
}

/**
 * Joins a line ending in a hyphen to the next. A word-processor never hyphenates by itself, so
 * the hyphen is kept ("end-to-" + "end") unless the document elsewhere writes the joined word
 * without it and never with it; URLs and paths always keep theirs.
 */
function joinHyphen(left: string, right: string, vocab: Set<string>): string {
  const head = /([\p{L}\p{N}'’-]+)-$/u.exec(left)?.[1] ?? '';
  const tail = /^[\p{L}\p{N}'’]+/u.exec(right)?.[0] ?? '';
  const lastToken = left.slice(left.lastIndexOf(' ') + 1);
  if (/[/.:@]/.test(lastToken) || !head || !tail || !/^\p{Ll}/u.test(tail)) return left + right;
  const lastPart = head.slice(head.lastIndexOf('-') + 1);
  const joined = `${lastPart}${tail}`.toLowerCase();
  const hyphenated = `${lastPart}-${tail}`.toLowerCase();
  if (vocab.has(joined) && !vocab.has(hyphenated)) return left.slice(0, -1) + right;
  return left + right;
}

const TERMINAL = /[.!?:;]["”’)\]]?$/;

/**
 * True when `prev` ended although the first word of `next` would have fitted after it: the
 * author broke the line (an address, a signature, a paragraph end), it was not wrapped.
 */
function brokeEarly(prev: PdfLine, next: PdfLine, columnRight: number): boolean {
  const room = columnRight - prev.right;
  if (room <= prev.size) return false;
  const perChar = (prev.right - prev.x) / Math.max(prev.text.length, 1);
  const firstWord = next.text.split(' ', 1)[0]!.length;
  return room > (firstWord + 1) * perChar * 1.2 + prev.size * 0.5;
}

/** Paragraphs (lines inside a paragraph joined by a space, or "\n" for hard breaks). */
export function paragraphsOf(lines: PdfLine[]): string[] {
  if (!lines.length) return [];
  const ratios: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    const gap = a.y - b.y;
    if (a.page === b.page && Math.abs(a.size - b.size) < 0.5 && gap > 0 && gap < a.size * 3) ratios.push(gap / a.size);
  }
  const lineRatio = median(ratios) ?? 1.2;
  const rights = lines.map((l) => l.right).sort((a, b) => a - b);
  const columnRight = rights[Math.floor(rights.length * 0.9)]!;
  const vocab = vocabulary(lines);

  const paragraphs: string[] = [];
  let cur = lines[0]!.text;
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1]!;
    const line = lines[i]!;
    const size = Math.max(prev.size, line.size);
    const gap = prev.y - line.y;
    const shortPrev = brokeEarly(prev, line, columnRight);
    let newParagraph: boolean;
    if (line.page !== prev.page) {
      newParagraph = line.bullet || line.footnoteStart || (TERMINAL.test(prev.text) && !/^\p{Ll}/u.test(line.text)) || shortPrev;
    } else {
      const hanging = prev.bullet && Math.abs(line.x - prev.textX) < size * 0.5;
      newParagraph =
        gap <= 0 ||
        gap > lineRatio * size * 1.4 ||
        Math.abs(line.size - prev.size) > 1 ||
        line.bullet ||
        line.footnoteStart ||
        (line.x > prev.x + size && !hanging) ||
        (shortPrev && TERMINAL.test(prev.text));
    }
    if (newParagraph) {
      paragraphs.push(cur);
      cur = line.text;
    } else if (/[-\u2010]$/.test(cur) && !/\s[-\u2010]$/.test(cur)) {
      cur = joinHyphen(cur, line.text, vocab);
    } else {
      cur += (shortPrev && line.page === prev.page ? '\n' : ' ') + line.text;
    }
  }
  paragraphs.push(cur);
  return paragraphs;
}

export function layoutPdf(pages: PdfPage[]): { paragraphs: string[]; furniture: number } {
  const perPage = pages.map((p) => linesOfPage(p));
  const { pages: kept, dropped } = dropFurniture(perPage, pages.map((p) => p.height));
  return { paragraphs: paragraphsOf(kept.flat()), furniture: dropped };
}
