/**
 * Dates a page declares about itself, from the machine-readable places every CMS uses:
 * Open Graph/article meta, Dublin Core meta, GOV.UK meta, and JSON-LD (dateModified /
 * datePublished). Site presets add what only their markup says (change histories).
 */
import type { CheerioAPI } from 'cheerio';
import type { DeclaredDates } from './types.js';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const pad = (n: number): string => String(n).padStart(2, '0');

function validYmd(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * "4 October 2019", "October 11, 2020", "Monday, October 11, 2020", "2019-10-04" → "2019-10-04".
 * Only unambiguous forms: "04/10/2019" is 4 October in London and 10 April in Washington.
 */
export function parseHumanDate(s: string): string | undefined {
  const t = s.replace(/\s+/g, ' ').trim();
  let m = /(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (m) return validYmd(+m[1]!, +m[2]!, +m[3]!);
  m = /\b(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.? (\d{4})\b/.exec(t);
  if (m) {
    const month = MONTHS[m[2]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    if (month) return validYmd(+m[3]!, month, +m[1]!);
  }
  m = /\b([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b/.exec(t);
  if (m) {
    const month = MONTHS[m[1]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[1]!.slice(0, 3).toLowerCase()];
    if (month) return validYmd(+m[3]!, month, +m[2]!);
  }
  return undefined;
}

/** A machine-readable timestamp kept as written (it may carry time and zone), if it is one. */
export function machineDate(s: string | undefined): string | undefined {
  const t = s?.trim();
  if (!t || t.length > 64) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(t) && !Number.isNaN(Date.parse(t.slice(0, 10)))) return t;
  return parseHumanDate(t);
}

const PUBLISHED_META = [
  'article:published_time', 'datepublished', 'dcterms.created', 'dcterms.issued', 'dc.date.issued',
  'dc.date.created', 'govuk:first-published-at', 'og:published_time',
];
const MODIFIED_META = [
  'article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified', 'dc.date.modified',
  'govuk:public-updated-at', 'govuk:updated-at', 'last-modified',
];

function metaDates($: CheerioAPI): DeclaredDates {
  const found = new Map<string, string>();
  $('meta').each((_, el) => {
    const key = (el.attribs.property ?? el.attribs.name ?? el.attribs.itemprop ?? '').trim().toLowerCase();
    const value = machineDate(el.attribs.content);
    if (key && value && !found.has(key)) found.set(key, value);
  });
  const first = (keys: string[]): string | undefined => keys.map((k) => found.get(k)).find(Boolean);
  const out: DeclaredDates = {};
  const published = first(PUBLISHED_META);
  const modified = first(MODIFIED_META);
  if (published) out.published = published;
  if (modified) out.modified = modified;
  return out;
}

// JSON-LD is page content: bound the walk so a hostile blob costs little.
const JSONLD_MAX_NODES = 5000;

function jsonLdDates($: CheerioAPI): DeclaredDates {
  const out: DeclaredDates = {};
  $('script[type="application/ld+json"]').each((_, el) => {
    let data: unknown;
    try {
      data = JSON.parse($(el).text());
    } catch {
      return; // Broken JSON-LD is common and says nothing about the statement.
    }
    const stack: unknown[] = [data];
    let visited = 0;
    while (stack.length && visited++ < JSONLD_MAX_NODES) {
      const node = stack.pop();
      if (Array.isArray(node)) {
        for (const x of node) stack.push(x);
      } else if (node && typeof node === 'object') {
        const rec = node as Record<string, unknown>;
        if (!out.published && typeof rec.datePublished === 'string') {
          const v = machineDate(rec.datePublished);
          if (v) out.published = v;
        }
        if (!out.modified && typeof rec.dateModified === 'string') {
          const v = machineDate(rec.dateModified);
          if (v) out.modified = v;
        }
        for (const v of Object.values(rec)) if (v && typeof v === 'object') stack.push(v);
      }
    }
  });
  return out;
}

/** Meta tags first (what the CMS stamped), then JSON-LD. Call before scripts are stripped. */
export function genericDeclaredDates($: CheerioAPI): DeclaredDates {
  const meta = metaDates($);
  const ld = jsonLdDates($);
  return mergeDeclared(meta, ld);
}

/** Fields of `a` win; `b` fills the gaps. Undefined when nothing was declared at all. */
export function mergeDeclared(a: DeclaredDates | undefined, b: DeclaredDates | undefined): DeclaredDates {
  const out: DeclaredDates = {};
  const published = a?.published ?? b?.published;
  const modified = a?.modified ?? b?.modified;
  const notes = a?.changeNotes?.length ? a.changeNotes : b?.changeNotes;
  if (published) out.published = published;
  if (modified) out.modified = modified;
  if (notes?.length) out.changeNotes = notes;
  return out;
}

const DATE_LABEL = /^(?:page\s+|this page was\s+|date\s+)?(?:last\s+(?:updated|modified|reviewed|revised)|updated|modified|reviewed)(?:\s+on)?\s*:?$/i;
const DATE_VALUE = /^(?:[A-Za-z]+,? )?(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:\s*[-–,@]?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?|\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9}\.? \d{4}|[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})$/i;

/**
 * Takes "Last updated: 10/03/2017 - 08:59" lines out of the body text (label and value may be
 * separate paragraphs). The stamp changes with every edit and would put a date change into
 * every diff; it is kept as the declared modification date instead.
 */
export function takeDateLines(paragraphs: string[]): { paragraphs: string[]; modified?: string } {
  const out: string[] = [];
  let modified: string | undefined;
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i]!.replace(/\s+/g, ' ').trim();
    const inline = /^(.*?\b(?:updated|modified|reviewed|revised)(?:\s+on)?)\s*:?\s+(.+)$/i.exec(p);
    if (inline && DATE_LABEL.test(inline[1]!.trim()) && DATE_VALUE.test(inline[2]!.trim())) {
      modified ??= parseHumanDate(inline[2]!) ?? inline[2]!.trim();
      continue;
    }
    const next = paragraphs[i + 1]?.replace(/\s+/g, ' ').trim();
    if (DATE_LABEL.test(p) && next !== undefined && DATE_VALUE.test(next)) {
      modified ??= parseHumanDate(next) ?? next;
      i++;
      continue;
    }
    out.push(paragraphs[i]!);
  }
  return modified === undefined ? { paragraphs: out } : { paragraphs: out, modified };
}
