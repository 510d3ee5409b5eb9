/** The shape of a significance rule. Each rule lives in its own file and is registered by name. */
import type { WordHunk } from '../align.js';
import type { WordToken } from '../sentences.js';
import type { AssessOptions, Level } from '../types.js';
import type { DocView, Unit } from '../units.js';

export interface Finding {
  message: string;
  /** Defaults to the rule's level. */
  level?: Level;
}

export interface RuleContext {
  doc: DocView;
  options: AssessOptions;
  /** Paragraph index → why it is furniture / a rotating block, for each side. */
  boilerplate: { before: Map<number, string>; after: Map<number, string> };
  /** A parameter of the running rule from its settings, else the fallback. */
  param<T>(name: string, fallback: T): T;
}

/** A unit after noise masking, ready for the content rules. */
export interface JudgedUnit extends Unit {
  /** The sentence texts with noise masked (capture dates, counters, list numbers); detect on these. */
  cmpBefore: string;
  cmpAfter: string;
  beforeWords: WordToken[];
  afterWords: WordToken[];
  /** Word differences between cmpBefore and cmpAfter. */
  hunks: WordHunk[];
}

/**
 * Noise: a unit is noise when `classify` names it, or when after this rule's `mask` (and the
 * masks of the rules before it) both sides are the same up to typography.
 */
export interface NoiseRule {
  kind: 'noise';
  name: string;
  description: string;
  classify?(unit: Unit, ctx: RuleContext): string | undefined;
  /** Mask the noise this rule knows in both sides of a unit (same placeholder on both sides). */
  mask?(before: string, after: string, ctx: RuleContext): [string, string];
  /** Message when the mask explained the unit. */
  explain?(unit: Unit, ctx: RuleContext): string;
}

export interface ContentRule {
  kind: 'content';
  name: string;
  description: string;
  level: Level;
  /** Runs only when no other content rule found anything in the unit. */
  fallback?: boolean;
  run(unit: JudgedUnit, ctx: RuleContext): Finding[];
}

/** Whole-document facts that are not one sentence's (links, declared update dates). */
export interface DocumentRule {
  kind: 'document';
  name: string;
  description: string;
  level: Level;
  run(ctx: RuleContext, summary: { wordingChanged: boolean }): Finding[];
}

export type Rule = NoiseRule | ContentRule | DocumentRule;
