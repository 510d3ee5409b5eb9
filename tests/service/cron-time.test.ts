import fc from 'fast-check';
import cron from 'node-cron';
import { afterAll, describe, expect, it } from 'vitest';
import { createCronClock, cronProblem, isDue, MAX_LOOKBACK_MS, timezoneProblem, utcOffsetMs } from '../../src/service/cron-time.js';

const tasks: Array<{ destroy(): void }> = [];
afterAll(() => tasks.forEach((t) => t.destroy()));

/** A clock backed by an unstarted node-cron task's matcher, the same pairing the scheduler uses. */
function clockFor(expression: string, timezone: string) {
  const task = cron.createTask(expression, () => {}, { timezone });
  tasks.push(task);
  return { clock: createCronClock(expression, timezone, (d) => task.match(d)), match: (d: Date) => task.match(d) };
}

function bruteForcePrevious(match: (d: Date) => boolean, now: Date, after: Date): Date | undefined {
  for (let t = Math.floor(now.getTime() / 1000) * 1000; t > after.getTime(); t -= 1000) {
    if (match(new Date(t))) return new Date(t);
  }
  return undefined;
}

describe('createCronClock().previous', () => {
  it('finds the latest fire of sparse schedules (yearly, last day of month, weekdays)', () => {
    expect(clockFor('0 0 0 1 1 *', 'UTC').clock.previous(new Date('2026-06-01T12:00:00Z'))?.toISOString()).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(clockFor('0 0 12 L * *', 'UTC').clock.previous(new Date('2026-03-15T00:00:00Z'))?.toISOString()).toBe(
      '2026-02-28T12:00:00.000Z',
    );
    // Monday 08:00 UTC in November (London = UTC): the last weekday 09:00 was Friday.
    expect(clockFor('0 9 * * 1-5', 'Europe/London').clock.previous(new Date('2026-11-23T08:00:00Z'))?.toISOString()).toBe(
      '2026-11-20T09:00:00.000Z',
    );
    // Same wall-clock schedule in summer: 09:00 BST is 08:00 UTC.
    expect(clockFor('0 9 * * *', 'Europe/London').clock.previous(new Date('2026-07-01T08:30:00Z'))?.toISOString()).toBe(
      '2026-07-01T08:00:00.000Z',
    );
  });

  it('counts a fire exactly at `now` and none at or before `after`', () => {
    const { clock } = clockFor('0 */15 * * * *', 'UTC');
    expect(clock.previous(new Date('2026-05-05T10:15:00.400Z'))?.toISOString()).toBe('2026-05-05T10:15:00.000Z');
    expect(clock.previous(new Date('2026-05-05T10:29:59Z'), new Date('2026-05-05T10:15:00Z'))).toBeUndefined();
    expect(clock.previous(new Date('2026-05-05T10:30:00Z'), new Date('2026-05-05T10:15:00Z'))?.toISOString()).toBe(
      '2026-05-05T10:30:00.000Z',
    );
  });

  it('handles an offset change in the middle of a UTC hour (Lord Howe springs forward at 15:30 UTC)', () => {
    const { clock, match } = clockFor('0 45 2 * * *', 'Australia/Lord_Howe');
    const now = new Date('2026-10-03T15:50:00Z');
    const after = new Date('2026-10-03T12:00:00Z');
    expect(bruteForcePrevious(match, now, after)?.toISOString()).toBe('2026-10-03T15:45:00.000Z');
    expect(clock.previous(now, after)?.toISOString()).toBe('2026-10-03T15:45:00.000Z');
  });

  it('agrees with a second-by-second scan around DST switches and odd offsets', () => {
    const zones = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
    const expressions = ['30 15 * * * *', '0 */20 * * * *', '*/7 * * * * *', '0 0,30 2 * * *', '0 30 1 * * *'];
    const clocks = new Map<string, ReturnType<typeof clockFor>>();
    const get = (e: string, z: string) => {
      const key = `${e}|${z}`;
      if (!clocks.has(key)) clocks.set(key, clockFor(e, z));
      return clocks.get(key)!;
    };
    const transitions = [
      '2026-03-29T01:00:00Z', // London springs forward
      '2026-10-25T01:00:00Z', // London falls back
      '2026-03-08T07:00:00Z', // New York springs forward
      '2026-11-01T06:00:00Z', // New York falls back
      '2026-04-04T15:00:00Z', // Lord Howe: a 30-minute fall back
      '2026-10-03T15:30:00Z', // Lord Howe: a 30-minute spring forward
    ].map((s) => Date.parse(s));
    fc.assert(
      fc.property(
        fc.constantFrom(...expressions),
        fc.constantFrom(...zones),
        fc.constantFrom(...transitions),
        fc.integer({ min: -3 * 3600, max: 3 * 3600 }),
        (expression, zone, base, shiftS) => {
          const { clock, match } = get(expression, zone);
          const now = new Date(base + shiftS * 1000 + 250);
          const after = new Date(now.getTime() - 3600_000);
          expect(clock.previous(now, after)?.toISOString()).toBe(bruteForcePrevious(match, now, after)?.toISOString());
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('helpers', () => {
  it('isDue: never checked, checked before / after the latest fire, beyond the lookback', () => {
    const now = new Date('2026-01-01T00:00:30Z');
    const fire = new Date('2026-01-01T00:00:00Z');
    expect(isDue(undefined, fire, now)).toBe(true);
    expect(isDue(new Date('2025-12-31T23:00:00Z'), fire, now)).toBe(true);
    expect(isDue(new Date('2026-01-01T00:00:05Z'), fire, now)).toBe(false);
    expect(isDue(new Date(now.getTime() - MAX_LOOKBACK_MS - 1000), undefined, now)).toBe(true);
    expect(isDue(new Date(now.getTime() - 1000), undefined, now)).toBe(false);
  });

  it('explains bad expressions and timezones, accepts good ones', () => {
    expect(cronProblem('*/1 * * * * *')).toBeUndefined();
    expect(cronProblem('0  */6 * * *')).toBeUndefined();
    expect(cronProblem('70 * * * *')).toMatch(/"70 \* \* \* \*" is not a valid cron expression.*minute/);
    expect(cronProblem('every hour')).toMatch(/5 or 6 fields/);
    expect(timezoneProblem('Europe/London')).toBeUndefined();
    expect(timezoneProblem('Mars/Olympus')).toMatch(/Mars\/Olympus/);
  });

  it('utcOffsetMs follows DST', () => {
    expect(utcOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'Europe/London')).toBe(0);
    expect(utcOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Europe/London')).toBe(3600_000);
    expect(utcOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3600_000);
  });
});
