/** Cron expressions as node-cron runs them, plus the mistakes node-cron silently accepts. */

import { validateDetailed } from 'node-cron';

export const CRON_HELP = 'is not a valid cron expression (5 fields, or 6 with seconds)';

interface Field {
  name: string;
  min: number;
  /** Largest value `*` stands for (day of week: 0-6, though 7 is also Sunday). */
  max: number;
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIELDS5: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

function toNumber(token: string, field: Field): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const i = field.names?.indexOf(token.slice(0, 3).toLowerCase()) ?? -1;
  if (i < 0) return undefined;
  return field === FIELDS5[3] ? i + 1 : i;
}

/**
 * node-cron accepts a step wider than its field ("*\/61" minutes) and quietly runs once per
 * hour instead; that is almost always a typo for a smaller step, so it is refused here.
 */
function stepProblem(part: string, field: Field): string | undefined {
  const slash = part.indexOf('/');
  if (slash < 0) return undefined;
  const base = part.slice(0, slash);
  const step = Number(part.slice(slash + 1));
  if (!Number.isInteger(step) || step < 1) return undefined;
  let start = field.min;
  let end = field.max;
  if (base !== '*') {
    const [a, b] = base.split('-');
    const lo = toNumber(a, field);
    const hi = b === undefined ? field.max : toNumber(b, field);
    if (lo === undefined || hi === undefined) return undefined;
    start = lo;
    end = hi;
  }
  if (end > start && step > end - start) {
    return `the ${field.name} step ${step} is wider than the range ${start}-${end}, so it would fire only at ${start}`;
  }
  return undefined;
}

/**
 * A watch list of thousands of sources repeats a handful of schedules, and node-cron's
 * validation of one costs tens of microseconds. Bounded: schedules are user input.
 */
const verdicts = new Map<string, string | undefined>();
const MAX_REMEMBERED = 512;

/** undefined when valid, otherwise why not (to follow CRON_HELP). */
export function cronProblem(expr: string): string | undefined {
  if (verdicts.has(expr)) return verdicts.get(expr);
  const why = judge(expr);
  if (verdicts.size >= MAX_REMEMBERED) verdicts.clear();
  verdicts.set(expr, why);
  return why;
}

function judge(expr: string): string | undefined {
  const trimmed = expr.trim();
  if (trimmed.startsWith('@')) return `shortcuts such as ${trimmed.split(/\s/)[0]} are not accepted; write the fields, e.g. "0 0 * * *" for daily`;
  const parts = trimmed === '' ? [] : trimmed.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `it has ${parts.length} field${parts.length === 1 ? '' : 's'}`;
  const detail = validateDetailed(trimmed);
  if (!detail.valid) {
    const why = detail.errors.map((e) => e.message).join('; ');
    return why || 'node-cron rejects it';
  }
  const fields = parts.length === 6 ? [SECOND, ...FIELDS5] : FIELDS5;
  for (let i = 0; i < parts.length; i++) {
    for (const item of parts[i].split(',')) {
      const p = stepProblem(item, fields[i]);
      if (p) return p;
    }
  }
  return undefined;
}
