/** Source ids: rules (they become archive file names) and derivation from a URL. */

import { createHash } from 'node:crypto';

export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,79}$/;
export const SOURCE_ID_MAX = 80;

/** Device names Windows refuses as file names whatever the extension; an archive may be copied there. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/;

const ID_HELP =
  'use 1-80 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit (ids become file names in the archive)';

/** undefined when `id` is usable as a source id, otherwise why not. */
export function sourceIdProblem(id: string): string | undefined {
  if (!SOURCE_ID_PATTERN.test(id)) {
    const slugged = slug(id).slice(0, SOURCE_ID_MAX);
    const hint = slugged && slugged !== id && SOURCE_ID_PATTERN.test(slugged) ? `; ${JSON.stringify(slugged)} would do` : '';
    return `is not a valid source id: ${ID_HELP}${hint}`;
  }
  if (id.includes('..')) return `is not a valid source id: it contains ".." (${ID_HELP})`;
  if (RESERVED.test(id)) return `is not a valid source id: it is a reserved device name on Windows`;
  return undefined;
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

const PAGE_EXT = /\.(html?|shtml|php\d?|aspx?|jsp|cfm)$/i;
/** "index.html", and bilingual sites' "index-en.aspx" / "default_fr.htm". */
const INDEX_PAGE = /^(?:index|default|home)(?:[-_]([a-z]{2}))?(?:\.[a-z0-9]+)?$/i;

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * deriveSourceId with a memory, for one load: the duplicate-id check and the build both need
 * every source's id, and deriving one costs URL parsing, Unicode normalization and regexes.
 */
export function memoDeriveSourceId(): (url: string) => string {
  const ids = new Map<string, string>();
  return (url) => {
    let id = ids.get(url);
    if (id === undefined) {
      id = deriveSourceId(url);
      ids.set(url, id);
    }
    return id;
  };
}

/**
 * A readable id from a URL: host without "www." plus the last meaningful path segment, e.g.
 * https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety
 * → gov-uk-international-statement-end-to-end-encryption-and-public-safety.
 * Stable for a given URL (ids name archive files); too-long ids are cut at a word boundary and
 * end in a hash of the full URL so two long URLs sharing a prefix still differ.
 */
export function deriveSourceId(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`cannot derive a source id: ${JSON.stringify(url.slice(0, 200))} is not a URL`);
  }
  let host = slug(u.hostname.replace(/^www\d*\./i, ''));
  if (u.port) host = `${host}-${u.port}`;
  const segs = u.pathname.split('/').filter(Boolean).map(decode);
  let lang = '';
  while (segs.length > 0) {
    const m = INDEX_PAGE.exec(segs[segs.length - 1]);
    if (!m) break;
    lang ||= m[1] ?? '';
    segs.pop();
  }
  let last = (segs.pop() ?? '').replace(PAGE_EXT, '');
  // "/news/2020/1234" or "/opa/pr": a bare number or tiny segment says little alone.
  if (last && (/^\d+$/.test(last) || last.length < 4) && segs.length > 0) last = `${segs.pop()}-${last}`;
  const query = [...u.searchParams].map(([k, v]) => `${k}-${v}`).join('-');
  let tail = slug([last, lang, query].filter(Boolean).join('-'));
  if (!tail && (last || query)) tail = shortHash(u.href);
  let id = [host, tail].filter(Boolean).join('-') || `source-${shortHash(u.href)}`;
  if (id.length > SOURCE_ID_MAX) {
    const hash = shortHash(u.href);
    const room = SOURCE_ID_MAX - hash.length - 1;
    let cut = id.slice(0, room);
    const dash = cut.lastIndexOf('-');
    if (dash > room * 0.6) cut = cut.slice(0, dash);
    id = `${cut.replace(/[-._]+$/, '')}-${hash}`;
  }
  return id;
}
