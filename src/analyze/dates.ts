/** Dates as statements and pages write them ("16 January 2023", "Oct. 3, 2017", "2023-01-16"). */

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9,
  october: 10, november: 11, december: 12, jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8,
  sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const WEEKDAY = '(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)\\.?,?\\s+)?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(\\d{4})';

/** Alternatives in priority order; each names its groups. */
const PATTERNS: { re: string; groups: ('day' | 'month' | 'year')[] }[] = [
  { re: `${YEAR}-(\\d{2})-(\\d{2})(?:T[\\d:.]+(?:Z|[+-]\\d{2}:?\\d{2})?)?`, groups: ['year', 'month', 'day'] },
  { re: `${WEEKDAY}${DAY}\\s+${MONTH},?\\s+${YEAR}`, groups: ['day', 'month', 'year'] },
  { re: `${WEEKDAY}${MONTH}\\s+${DAY}(?:\\s*[-–]\\s*\\d{1,2})?,?\\s+${YEAR}`, groups: ['month', 'day', 'year'] },
  { re: `${MONTH}\\s+${YEAR}`, groups: ['month', 'year'] },
  { re: `${WEEKDAY}${DAY}\\s+${MONTH}(?![\\w])`, groups: ['day', 'month'] },
  { re: `${WEEKDAY}${MONTH}\\s+${DAY}(?![\\d\\w])`, groups: ['month', 'day'] },
];

const COMBINED = new RegExp(PATTERNS.map((p) => `(${p.re})`).join('|'), 'g');

export interface FoundDate {
  start: number;
  end: number;
  text: string;
  year?: number;
  month: number;
  day?: number;
}

/** Count capture groups of a pattern source (ignores (?: …) and escaped parens). */
function groupCount(re: string): number {
  return (re.match(/(?<!\\)\((?!\?)/g) ?? []).length;
}

const GROUP_OFFSETS = (() => {
  const offsets: number[] = [];
  let at = 1;
  for (const p of PATTERNS) {
    offsets.push(at);
    at += 1 + groupCount(p.re);
  }
  return offsets;
})();

/** Every date in a text, longest form first, non-overlapping, in order. */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  for (const m of text.matchAll(COMBINED)) {
    const which = PATTERNS.findIndex((_, i) => m[GROUP_OFFSETS[i]] !== undefined);
    if (which < 0) continue;
    const p = PATTERNS[which];
    const values: Partial<Record<'day' | 'month' | 'year', string>> = {};
    p.groups.forEach((g, k) => { values[g] = m[GROUP_OFFSETS[which] + 1 + k]; });
    const month = /^\d+$/.test(values.month ?? '') ? Number(values.month) : MONTHS[(values.month ?? '').toLowerCase()];
    if (!month || month > 12) continue;
    const day = values.day ? Number(values.day) : undefined;
    if (day !== undefined && (day < 1 || day > 31)) continue;
    // "may" is also a verb: a bare "May 5" without a year is too ambiguous to call a date.
    if (/^may$/i.test(values.month ?? '') && !values.year) continue;
    out.push({
      start: m.index!,
      end: m.index! + m[0].length,
      text: m[0],
      year: values.year ? Number(values.year) : undefined,
      month,
      day,
    });
  }
  return out;
}

/** The calendar day written in an ISO time, "16 January 2023", an HTTP date …; undefined when unreadable. */
export function parseDay(s: string | undefined): { year: number; month: number; day: number } | undefined {
  if (!s) return undefined;
  const found = findDates(s).find((d) => d.year !== undefined && d.day !== undefined);
  if (found) return { year: found.year!, month: found.month, day: found.day! };
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Milliseconds since the epoch of a time or day as pages write it; NaN when unreadable. */
export function parseTime(s: string | undefined): number {
  if (!s) return Number.NaN;
  const t = Date.parse(s);
  if (!Number.isNaN(t) && /\d{4}-\d{2}-\d{2}|GMT|UTC/.test(s)) return t;
  const d = parseDay(s);
  return d ? Date.UTC(d.year, d.month - 1, d.day) : Number.NaN;
}

/** Days between a date found in text and a day; a date without a year is matched on month/day. */
export function daysApart(found: FoundDate, day: { year: number; month: number; day: number }): number {
  if (found.day === undefined) return Number.POSITIVE_INFINITY;
  const year = found.year ?? day.year;
  return Math.abs(Date.UTC(year, found.month - 1, found.day) - Date.UTC(day.year, day.month - 1, day.day)) / 86_400_000;
}
