/** Noise: a date that only follows the capture ("Page generated 5 October 2019", "Today: …"). */
import { daysApart, findDates, parseDay } from '../dates.js';
import type { NoiseRule, RuleContext } from './types.js';

const PLACEHOLDER = ' #capture-date# ';

/** Replace dates within `tolerance` days of the capture day in `after`, and the dates they replaced in `before`. */
export function maskCaptureDates(before: string, after: string, ctx: RuleContext): [string, string] {
  const day = parseDay(ctx.options.captureDate);
  if (!day) return [before, after];
  const tolerance = ctx.param('toleranceDays', 1);
  const afterDates = findDates(after).filter((d) => daysApart(d, day) <= tolerance);
  if (afterDates.length === 0) return [before, after];
  const kept = new Set(findDates(after).filter((d) => !afterDates.includes(d)).map((d) => d.text));
  // The old side held the previous capture's date: any earlier date that the new side no longer has.
  const beforeDates = findDates(before).filter((d) => !kept.has(d.text) && daysApart(d, day) <= 366);
  return [replace(before, beforeDates), replace(after, afterDates)];
}

function replace(text: string, dates: { start: number; end: number }[]): string {
  let out = text;
  for (const d of [...dates].sort((a, b) => b.start - a.start)) out = out.slice(0, d.start) + PLACEHOLDER + out.slice(d.end);
  return out;
}

export const captureDateRule: NoiseRule = {
  kind: 'noise',
  name: 'capture-date',
  description: 'a date equal to the capture date (today\'s date printed by the page); param toleranceDays (default 1)',
  mask: maskCaptureDates,
  explain: (_unit, ctx) => `date changed to the capture date (${ctx.options.captureDate?.slice(0, 10)}): noise`,
};
