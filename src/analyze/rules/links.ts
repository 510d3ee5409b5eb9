/** Links inside the statement body to documents, datasets or annexes, added, removed or retargeted. */
import type { ExtractedLink } from '../../extract/types.js';
import { q } from './util.js';
import type { DocumentRule, Finding } from './types.js';

const TRACKING = /^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|ref|ref_src|cmpid|s_cid)$/i;
const DOC_EXT = /\.(?:pdf|docx?|odt|rtf|xlsx?|ods|csv|tsv|json|xml|zip|pptx?|odp|txt|epub|geojson|parquet|xlsm)$/i;
const DOC_WORDS = /\b(?:annex(?:e|es)?|appendix|appendices|schedule|dataset|data set|data|report|document|statement|communiqu[eé]|letter|attachment|download|pdf|consultation|white paper|green paper|guidance|treaty|agreement|principles|memorandum|factsheet|fact sheet|transcript|annual report|evidence)\b/i;
const DOC_PATH = /\/(?:government\/publications|media|uploads?|files?|documents?|downloads?|assets|attachments?|datasets?)\//i;

/** A link's identity: host without www, path without trailing slash, query without tracking parameters. */
export function linkKey(href: string): string {
  try {
    const u = new URL(href);
    const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => a.localeCompare(b));
    const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
    return `${u.hostname.toLowerCase().replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}${query}`;
  } catch {
    return href.trim().replace(/#.*$/, '').replace(/\/+$/, '');
  }
}

export function isDocumentLink(link: ExtractedLink): boolean {
  let path = link.href;
  let host = '';
  try {
    const u = new URL(link.href);
    path = u.pathname;
    host = u.hostname;
  } catch { /* relative or broken href: judge by the text */ }
  return DOC_EXT.test(path) || DOC_PATH.test(path) || /^assets\.publishing\.service\.gov\.uk$/i.test(host) || DOC_WORDS.test(link.text);
}

function describe(l: ExtractedLink): string {
  return `${q(l.text || '(no text)', 80)} (${q(l.href, 120)})`;
}

function unmatched(a: ExtractedLink[], b: ExtractedLink[]): ExtractedLink[] {
  const counts = new Map<string, number>();
  for (const l of b) counts.set(linkKey(l.href), (counts.get(linkKey(l.href)) ?? 0) + 1);
  return a.filter((l) => {
    const k = linkKey(l.href);
    const n = counts.get(k) ?? 0;
    if (n > 0) { counts.set(k, n - 1); return false; }
    return true;
  });
}

export const linksRule: DocumentRule = {
  kind: 'document',
  name: 'links',
  description: 'a link to a document, dataset or annex in the statement added, removed or retargeted (other links: low)',
  level: 'medium',
  run(ctx) {
    const links = ctx.options.links;
    if (!links) return [];
    const removed = unmatched(links.before, links.after);
    const added = unmatched(links.after, links.before);
    const out: Finding[] = [];
    for (const r of [...removed]) {
      const same = added.findIndex((a) => a.text.trim() !== '' && a.text.trim().toLowerCase() === r.text.trim().toLowerCase());
      if (same < 0) continue;
      const [a] = added.splice(same, 1);
      removed.splice(removed.indexOf(r), 1);
      const doc = isDocumentLink(r) || isDocumentLink(a);
      out.push({ message: `${doc ? 'document link' : 'link'} retargeted: ${q(r.text, 80)} ${q(r.href, 120)} → ${q(a.href, 120)}`, level: doc ? undefined : 'low' });
    }
    for (const [list, verb] of [[added, 'added'], [removed, 'removed']] as const) {
      for (const l of list) {
        const doc = isDocumentLink(l);
        out.push({ message: `${doc ? 'document link' : 'link'} ${verb}: ${describe(l)}`, level: doc ? undefined : 'low' });
      }
    }
    if (out.length === 0 && links.before.map((l) => l.href).join('\n') !== links.after.map((l) => l.href).join('\n')) {
      out.push({ message: 'links changed only in form (tracking parameters, www, trailing slash, order)', level: 'none' });
    }
    return out;
  },
};
