/**
 * Named parties in statement prose: countries (names and aliases from the maintained
 * i18n-iso-countries package, plus the forms statements use, e.g. "the United States", "UK")
 * and public bodies ("National Crime Agency", "Department of Homeland Security", "(NCA)").
 */
import { createRequire } from 'node:module';

type CountriesLib = typeof import('i18n-iso-countries');

const require = createRequire(import.meta.url);

/** Forms statements use that the package does not list (keyed by ISO alpha-2). */
const EXTRA_ALIASES: Record<string, string[]> = {
  VI: ['U.S. Virgin Islands', 'US Virgin Islands'],
  US: ['America', 'U.S.', 'U.S.A.', 'the States'],
  GB: ['Britain', 'U.K.', 'the UK', 'England and Wales', 'Scotland', 'Wales', 'Northern Ireland'],
  KR: ['Korea'],
  NL: ['Holland'],
  CZ: ['Czechia'],
  RU: ['Russia'],
  VA: ['Holy See'],
  PS: ['Palestine'],
};

/** Phrases in which a country name is part of something else. */
const EXCLUDED = ['New Jersey', 'New Mexico', 'New South Wales', 'South Georgia', 'Georgia Tech', 'Michael Jordan', 'Jersey City'];

interface Matcher {
  re: RegExp;
  codeOf: Map<string, string>;
  /** First word of every name: text without any of them names no country (a cheap pre-check). */
  firstWords: Set<string>;
}

let matcher: Matcher | undefined;

function buildMatcher(): Matcher {
  // The package's node entry loads ~80 locales; English is all Redline needs.
  const lib = require('i18n-iso-countries/index.js') as CountriesLib;
  lib.registerLocale(require('i18n-iso-countries/langs/en.json'));
  const names = lib.getNames('en', { select: 'all' });
  const codeOf = new Map<string, string>();
  const add = (name: string, code: string) => {
    const plain = name.replace(/^the\s+/i, '');
    if (plain.length < 2 || /,/.test(plain)) return;
    if (!codeOf.has(plain)) codeOf.set(plain, code);
  };
  for (const [code, list] of Object.entries(names)) for (const n of list) add(n, code);
  for (const [code, list] of Object.entries(EXTRA_ALIASES)) for (const n of list) add(n, code);
  for (const ex of EXCLUDED) codeOf.set(ex, '');
  // Longest first so "United States of America" wins over "United States", "Papua New Guinea" over "Guinea".
  const alternatives = [...codeOf.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`(?<![\\p{L}\\p{N}.])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}]|\\.[\\p{L}])`, 'gu');
  const firstWords = new Set([...codeOf.keys()].map((name) => name.split(/\s+/)[0]));
  return { re, codeOf, firstWords };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface PartyMention {
  /** ISO alpha-2 code for countries; the normalised name for bodies. */
  key: string;
  /** As written (without a leading "the"). */
  name: string;
  type: 'country' | 'body';
}

const CAPITALISED = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}.'’-]*/gu;

/** Countries named in a text, case-sensitively (so the pronoun "us" is not the US). */
export function findCountries(text: string): PartyMention[] {
  matcher ??= buildMatcher();
  const m = matcher;
  if (!(text.match(CAPITALISED) ?? []).some((w) => m.firstWords.has(w) || m.firstWords.has(w.replace(/[.,;:]+$/, '')))) return [];
  const out: PartyMention[] = [];
  for (const m of text.matchAll(matcher.re)) {
    const code = matcher.codeOf.get(m[0]);
    if (code) out.push({ key: code, name: m[0], type: 'country' });
  }
  return out;
}

const BODY_WORDS =
  'Agency|Department|Ministry|Office|Bureau|Service|Services|Commission|Council|Authority|Police|Centre|Center|Directorate|Administration|Institute|Board|Committee|Tribunal|Parliament|Congress|Senate|Alliance|Commissioner|Ombudsman|Secretariat|Forum|Force|Guard|Corps';
const CAP = "[\\p{Lu}][\\p{L}&'’.-]*";
const LINK = '(?:of|for|and|on|&)';
const BODY_RE = new RegExp(
  `(?:${CAP}\\s+(?:${LINK}\\s+)?){0,5}(?:${BODY_WORDS})(?:\\s+(?:of|for|on)\\s+(?:the\\s+)?${CAP}(?:\\s+(?:(?:of|for|and|&)\\s+)?${CAP}){0,5})?`,
  'gu',
);
const ACRONYM_RE = /\(([A-Z][A-Z&]{1,7})\)/g;

/** Public bodies named in a text: capitalised names around an organisation word, and "(ACRONYM)". */
export function findBodies(text: string): PartyMention[] {
  const out: PartyMention[] = [];
  for (const m of text.matchAll(BODY_RE)) {
    const name = m[0].replace(/^(?:The|the)\s+/, '').trim();
    // A bare organisation word ("Office", "Department") names nobody in particular.
    if (!/\s/.test(name)) continue;
    if (/^(?:This|That|These|Those|Our|Their|Its|His|Her|A|An|Each|Every|Any|No|Which)\s/.test(name)) continue;
    out.push({ key: name.toLowerCase().replace(/\s+/g, ' '), name, type: 'body' });
  }
  for (const m of text.matchAll(ACRONYM_RE)) {
    if (!definesAcronym(text.slice(0, m.index), m[1])) out.push({ key: m[1].toLowerCase(), name: m[1], type: 'body' });
  }
  return out;
}

/**
 * "National Crime Agency (NCA)": the acronym only defines the name before it, which is
 * judged as that name; it is not another party.
 */
export function definesAcronym(before: string, acronym: string): boolean {
  const initials = before
    .split(/\s+/)
    .filter((w) => w !== '' && !/^(?:of|for|and|on|the|&)$/i.test(w))
    .map((w) => w.replace(/^[^\p{L}]+/u, '')[0] ?? '')
    .join('')
    .toUpperCase();
  return initials.endsWith(acronym.replace(/&/g, ''));
}

/** Countries and bodies named in a text. */
export function findParties(text: string): PartyMention[] {
  return [...findCountries(text), ...findBodies(text)];
}
