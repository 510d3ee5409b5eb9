/**
 * The rule registry. Rules are looked up by name so per-source and per-tag configuration
 * can switch them on and off, change their level and set their parameters.
 * Noise rules run in registration order (cosmetic first, so "cosmetic" stays exact).
 */
import { boilerplateRule } from './boilerplate.js';
import { captureDateRule } from './capture-date.js';
import { cosmeticRule } from './cosmetic.js';
import { counterRule } from './counter.js';
import { linksRule } from './links.js';
import { listNumberingRule } from './list-numbering.js';
import { markupRule } from './markup.js';
import { modalityRule } from './modality.js';
import { movedRule } from './moved.js';
import { negationRule } from './negation.js';
import { numbersRule } from './numbers.js';
import { partiesRule } from './parties.js';
import { qualificationRule } from './qualification.js';
import { sentenceRule } from './sentence.js';
import { silentEditRule } from './silent.js';
import type { Rule } from './types.js';
import { watchTermsRule } from './watch-terms.js';
import { wordingRule } from './wording.js';

const registry = new Map<string, Rule>();

/** Add a rule. Names are unique: registering a taken name is a programming error. */
export function registerRule(rule: Rule): void {
  if (registry.has(rule.name)) throw new Error(`analyze: a significance rule named "${rule.name}" is already registered`);
  registry.set(rule.name, rule);
}

export function getRule(name: string): Rule | undefined {
  return registry.get(name);
}

/** Every registered rule, in registration (= evaluation) order. */
export function listRules(): Rule[] {
  return [...registry.values()];
}

for (const rule of [
  cosmeticRule, listNumberingRule, markupRule, captureDateRule, counterRule, boilerplateRule,
  negationRule, modalityRule, qualificationRule, numbersRule, partiesRule, watchTermsRule, sentenceRule, movedRule, wordingRule,
  linksRule, silentEditRule,
]) registerRule(rule);

export type { ContentRule, DocumentRule, Finding, JudgedUnit, NoiseRule, Rule, RuleContext } from './types.js';
