/** The analysis stage: significance, quote check, sentence provenance, silent edits. */
export type * from './types.js';
export { LEVELS, levelRank } from './types.js';
export { splitSentences, splitParagraphs, normalizeForMatch, cosmeticKey, words, wordTokens } from './sentences.js';
export { assessSignificance, refineReport, mergeThresholds } from './significance.js';
export { registerRule, getRule, listRules } from './rules/index.js';
export type { ContentRule, DocumentRule, Finding, JudgedUnit, NoiseRule, Rule, RuleContext } from './rules/index.js';
export { detectSilentEdit, type SilentEditInput } from './silent.js';
export { findCountries, findBodies, findParties, type PartyMention } from './parties.js';
export { compareTexts, type CompareOptions, type TextComparison, type TextDifference } from './crosssite.js';
export { buildQuoteIndex, checkQuote, checkQuoteInText, QuoteIndex, type QuoteIndexStats, type QuoteOptions } from './quote.js';
export { blame } from './blame.js';
