/**
 * Cron arithmetic node-cron 4 does not offer: the latest fire time at or before a moment
 * ("previous"), used for catch-up after a restart. node-cron only computes forward from the
 * wall clock, so this walks backwards itself, pruning with the parsed fields and leaving the
 * final say (day-of-month/-week tokens such as L, 15W, 5#2) to node-cron's own `match`.
 */
import cron from 'node-cron';

/** Catch-up never looks further back than this; an older last check simply counts as due. */
export const MAX_LOOKBACK_MS = 400 * 24 * 3600_000;

const HOUR = 3600_000;
const MINUTE = 60_000;

/** Collapses runs of whitespace, so two spellings of one expression share one group and one timer. */
export function normalizeExpression(expression: string): string {
  return expression.trim().split(/\s+/).join(' ');
}

/** Returns why an expression is not a valid node-cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const result = cron.validateDetailed(normalizeExpression(expression));
  if (result.valid) return undefined;
  const details = result.errors.map((e) => e.message).join('; ');
  return `"${expression}" is not a valid cron expression (5 fields, or 6 with seconds): ${details || 'rejected by node-cron'}`;
}

/** Returns why a timezone name is unusable, or undefined when Intl accepts it. */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `timezone "${timezone}" is not an IANA timezone name Intl knows (e.g. "Europe/London", "UTC")`;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `timezone`. */
export function utcOffsetMs(instantMs: number, timezone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(whole))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  return asUtc - whole;
}

export function systemTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface CronClock {
  readonly expression: string;
  readonly timezone: string;
  /**
   * The latest whole-second fire time t with `after` < t <= `now`, or undefined if there is
   * none (looking back at most MAX_LOOKBACK_MS).
   */
  previous(now: Date, after?: Date): Date | undefined;
}

/**
 * `match` must be node-cron's matcher for the same expression and timezone (a task's
 * `match`), so "previous" and node-cron's forward schedule can never disagree.
 */
export function createCronClock(
  expression: string,
  timezone: string,
  match: (date: Date) => boolean,
): CronClock {
  const normalized = normalizeExpression(expression);
  const fields = cron.parse(normalized);
  const seconds = new Set(fields.second);
  const secondsDesc = [...seconds].sort((a, b) => b - a);
  const minutes = new Set(fields.minute);
  const hours = new Set(fields.hour);
  const months = new Set(fields.month);

  function previous(now: Date, after?: Date): Date | undefined {
    const nowS = Math.floor(now.getTime() / 1000) * 1000;
    const floor = Math.max(after ? after.getTime() : -Infinity, nowS - MAX_LOOKBACK_MS);
    let hourStart = Math.floor(nowS / HOUR) * HOUR;
    while (hourStart + HOUR > floor) {
      const offStart = utcOffsetMs(hourStart, timezone);
      // An offset change inside this UTC hour (a DST switch) means minute-by-minute offsets.
      const steady = offStart === utcOffsetMs(hourStart + HOUR - 1000, timezone);
      const lastMinute = Math.min(hourStart + HOUR - MINUTE, Math.floor(nowS / MINUTE) * MINUTE);
      for (let m = lastMinute; m >= hourStart; m -= MINUTE) {
        if (m + MINUTE <= floor) return undefined;
        const local = new Date(m + (steady ? offStart : utcOffsetMs(m, timezone)));
        if (!months.has(local.getUTCMonth() + 1)) continue;
        if (!hours.has(local.getUTCHours())) continue;
        if (!minutes.has(local.getUTCMinutes())) continue;
        for (const s of secondsDesc) {
          const t = m + s * 1000;
          if (t > nowS || t <= floor) continue;
          const candidate = new Date(t);
          if (match(candidate)) return candidate;
        }
      }
      hourStart -= HOUR;
    }
    return undefined;
  }

  return { expression: normalized, timezone, previous };
}

/**
 * A source is due at start-up when a fire time passed since its last check. `latestFire` is
 * the group's clock.previous(now), computed once per group rather than once per source.
 */
export function isDue(lastChecked: Date | undefined, latestFire: Date | undefined, now: Date): boolean {
  if (!lastChecked || Number.isNaN(lastChecked.getTime())) return true;
  if (latestFire) return lastChecked.getTime() < latestFire.getTime();
  return lastChecked.getTime() < now.getTime() - MAX_LOOKBACK_MS;
}
