/**
 * Significance thresholds in the watch list (redline issue 5): the block's schema, and how the
 * top-level, per-tag and per-source blocks merge into one per source. Rule names are not known
 * here (the analysis stage owns them); it checks them through loadConfig's `extraChecks`.
 */

import * as z from 'zod';
import { describeValue } from './errors.js';
import { fail, leaf, mapError, ok, orNone, type Check } from './leaf.js';
import { didYouMean } from './suggest.js';
import type { RuleConfig, SignificanceConfig, SignificanceLevel } from './types.js';

export const SIGNIFICANCE_KEYS = ['alert_at', 'rules'] as const;
export const LEVELS: readonly SignificanceLevel[] = ['none', 'low', 'medium', 'high'];
/** Keys of a rule's settings that are not parameters of the rule. */
const RULE_KEYS = ['enabled', 'level'];

export const checkLevel: Check<SignificanceLevel> = (v) => {
  if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v.trim())) return ok(v.trim() as SignificanceLevel);
  const hint = typeof v === 'string' ? didYouMean(v, LEVELS) : '';
  return fail(`is not a level: use one of ${LEVELS.join(', ')}${hint}`);
};

const checkBool: Check<boolean> = (v) =>
  typeof v === 'boolean' ? ok(v) : fail(`expected true or false, found ${describeValue(v)}`);

/** Parameters are written snake_case like every key in the file; rules read them camelCase. */
export const camelCase = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const ruleSchema = z
  .looseObject(
    { enabled: leaf(checkBool).optional(), level: leaf(checkLevel).optional() },
    mapError('the rule\'s settings: a mapping such as { enabled: false }, { level: high } or { min_words: 8 }'),
  )
  .transform((setting, ctx): RuleConfig => {
    const out: RuleConfig = {};
    const writtenAs = new Map<string, string>();
    for (const [key, value] of Object.entries(setting)) {
      if (value === undefined) continue;
      const name = RULE_KEYS.includes(key) ? key : camelCase(key);
      const other = writtenAs.get(name);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `sets the same parameter as ${JSON.stringify(other)}; keep one of them`,
          params: { at: 'key' },
        });
        continue;
      }
      writtenAs.set(name, key);
      out[name] = value;
    }
    return out;
  });

const ruleName = z.string().refine((k) => k.trim() !== '', { error: 'a rule name cannot be empty' });

export const significanceSchema = z
  .strictObject(
    {
      alert_at: leaf(checkLevel).optional(),
      rules: orNone(
        z.record(ruleName, ruleSchema, {
          error: (iss) => `expected rules by name (e.g. sentence: { min_words: 8 }), found ${describeValue(iss.input)}`,
        }),
      ),
    },
    mapError('significance settings: a mapping with alert_at and/or rules'),
  )
  .transform((b): SignificanceConfig => {
    const out: SignificanceConfig = {};
    if (b.alert_at !== undefined) out.alertAt = b.alert_at;
    if (b.rules !== undefined && Object.keys(b.rules).length > 0) out.rules = b.rules;
    return out;
  });

export const tagSignificanceSchema = z.record(
  z.string().refine((k) => k.trim() !== '', { error: 'a tag cannot be empty' }),
  z.preprocess((v) => v ?? {}, significanceSchema),
  { error: (iss) => `expected significance settings by tag (tag: { alert_at: high }), found ${describeValue(iss.input)}` },
);

/** Later blocks win: alertAt as a whole, rule settings key by key (a tag's level, the source's min_words). */
export function mergeSignificance(blocks: ReadonlyArray<SignificanceConfig | undefined>): SignificanceConfig {
  const out: SignificanceConfig = {};
  let rules: Record<string, RuleConfig> | undefined;
  for (const b of blocks) {
    if (!b) continue;
    if (b.alertAt !== undefined) out.alertAt = b.alertAt;
    for (const [name, setting] of Object.entries(b.rules ?? {})) {
      rules ??= {};
      rules[name] = { ...rules[name], ...setting };
    }
  }
  if (rules) out.rules = rules;
  return out;
}
