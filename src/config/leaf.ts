/**
 * Building blocks of the schema: leaf values are checked by small functions so every message
 * says what is wrong and how to write it instead.
 */

import * as z from 'zod';
import { describeValue } from './errors.js';
import type { Parsed } from './units.js';

export type Check<T> = (v: unknown) => Parsed<T>;

/** Issues flagged showValue get the value as written prefixed to their message. */
export function leaf<T>(check: Check<T>) {
  return z.unknown().transform((v, ctx): T => {
    const r = check(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message, input: v, params: { showValue: v !== undefined } });
    return z.NEVER;
  });
}

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (message: string): Parsed<never> => ({ ok: false, message });
const missing = (what: string): Parsed<never> => fail(`is missing: ${what}`);

export function text(what: string): Check<string> {
  return (v) => {
    if (v === undefined) return missing(`give ${what}`);
    if (typeof v !== 'string') return fail(`expected ${what} as text, found ${describeValue(v)}`);
    const t = v.trim();
    return t ? ok(t) : fail(`is empty: give ${what}`);
  };
}

export function int(min: number, max: number): Check<number> {
  return (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? ok(v)
      : fail(`expected a whole number from ${min} to ${max}, found ${describeValue(v)}`);
}

export function list<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: (iss) => `expected ${what}, found ${describeValue(iss.input)}` });
}

export const mapError = (what: string) => ({
  error: (iss: { input?: unknown }) => `expected ${what} (key: value lines), found ${describeValue(iss.input)}`,
});

/** An empty key ("sources:", i.e. null) means none yet, not a mistake. */
export const orNone = <T extends z.ZodType>(s: T) => z.preprocess((v) => v ?? undefined, s.optional());
