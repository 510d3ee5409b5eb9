/** Shared types of the analysis stage: significance, quote check, blame, silent edits. */
import type { DiffReport } from '../diff/types.js';
import type { DeclaredDates, ExtractedLink } from '../extract/types.js';
import type { RuleConfig, SignificanceConfig, SignificanceLevel } from '../config/types.js';

export type Level = SignificanceLevel;

export const LEVELS: readonly Level[] = ['none', 'low', 'medium', 'high'];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export interface Reason {
  /** Name of the rule that gave this reason (see listRules()). */
  rule: string;
  /** Index into DiffReport.changes; absent for whole-document reasons (links, silent edit). */
  change?: number;
  /** Every change the reason covers, when one sentence holds several word-level changes. */
  changes?: number[];
  message: string;
  level: Level;
  /** 1-based paragraph number in the newer text (the older one for removals). */
  paragraph?: number;
}

export interface Assessment {
  level: Level;
  /** The verdict of the rules with the configured thresholds. */
  alert: boolean;
  reasons: Reason[];
  /** True when there were changes and every one is typographic only (case, quotes, dashes, ellipsis, whitespace). */
  cosmetic: boolean;
}

/**
 * Per-rule settings and thresholds are exactly what the watch list's `significance:` blocks
 * hold (default alertAt: 'medium'); one definition, in the config stage.
 */
export type RuleSetting = RuleConfig;
export type SignificanceThresholds = SignificanceConfig;

/** What a page declared about its own updates at one check. */
export interface PageDeclarations {
  declared?: DeclaredDates;
  /** HTTP Last-Modified header as the server sent it. */
  lastModified?: string;
}

export interface AssessOptions {
  watchTerms: string[];
  /** ISO 8601 time of the capture of the newer text. */
  captureDate?: string;
  links?: { before: ExtractedLink[]; after: ExtractedLink[] };
  thresholds?: SignificanceThresholds;
  /** Declarations of the previous and current check, for the silent-edit rule. */
  declarations?: { prev: PageDeclarations; cur: PageDeclarations };
}

export interface AssessedReport extends DiffReport {
  significance: Assessment;
}

export type QuoteVerdict = 'verbatim' | 'verbatim-typography' | 'altered' | 'stitched' | 'truncated' | 'not-found';

export interface PresenceRange {
  fromVersion: number;
  toVersion: number;
  firstSeen: string;
  lastSeen: string;
}

export interface QuoteMatch {
  source: string;
  /** First version holding the matched wording. */
  version: number;
  /** Time of that version (absent for checkQuoteInText). */
  firstSeen?: string;
  /** Last time the matched wording was confirmed in this source (absent for checkQuoteInText). */
  lastSeen?: string;
  /** Every run of consecutive versions that held the matched wording. */
  ranges: PresenceRange[];
  /** 1-based paragraph of the (first part of the) match. */
  paragraph: number;
  /** The source text that matched (the matched span, or the sentences it lies in). */
  text: string;
}

export interface QuoteResult {
  verdict: QuoteVerdict;
  /** 0..1: share of the quote's words that match the source in order (1 for verbatim). */
  similarity: number;
  match?: QuoteMatch;
  details: string[];
  /** Work done for this query: candidate sentences from the index and full comparisons made. */
  stats: { candidates: number; comparisons: number };
}

export interface BlameLine {
  sentence: string;
  /** 1-based paragraph in the blamed version. */
  paragraph: number;
  /** Start of the unbroken run of versions, up to the blamed one, holding this exact wording. */
  since: { version: number; time: string };
  /** Set when the wording existed earlier, was removed, and came back. */
  firstAppeared?: { version: number; time: string };
  /** What the sentence said before it was edited into this wording (the last version with the old wording). */
  previously?: { text: string; version: number };
}

export type SilentEditKind = 'silent-edit' | 'declared-update-without-change';

export interface SilentEditResult {
  kind: SilentEditKind | null;
  message: string;
}
