/** The one diff report model every renderer, alert and analysis reads. */

export type ChangeKind = 'insert' | 'delete' | 'replace' | 'move';

export interface Segment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface Change {
  kind: ChangeKind;
  /** Text as it was (empty for insert). */
  removed: string;
  /** Text as it is (empty for delete). */
  added: string;
  /** The surrounding words of the paragraph, for a reader who sees only this change. */
  context: string;
  /** Paragraph index in the old / new text (absent on the side the change does not exist). */
  beforeParagraph?: number;
  afterParagraph?: number;
  /** Word-level segments of this paragraph pair, in order. */
  segments: Segment[];
  /**
   * Up to `contextWords` words before / after the change, exactly as they appear in the
   * paragraph (the after text, or the before text for a deletion). `context` is
   * contextBefore + (added, or removed for a deletion) + contextAfter.
   */
  contextBefore?: string;
  contextAfter?: string;
}

/**
 * One step of the byte-exact edit script: '=' in both texts, '-' only in the
 * old text, '+' only in the new one, '<' only in the old text and moved away,
 * '>' only in the new text and moved here. For '<' and '>' the third element
 * is the index in `changes` of the move.
 */
export type ScriptOp = '=' | '-' | '+' | '<' | '>';
export type ScriptEntry = [op: ScriptOp, text: string, change?: number];

/** A stretch compared more coarsely than word by word, and why. */
export interface DegradedRegion {
  /** Paragraph ranges [first, last] on each side (absent when that side has none). */
  beforeParagraphs?: [number, number];
  afterParagraphs?: [number, number];
  /** 'sentence': unmatched sentences shown whole; 'paragraph': the region shown as whole paragraphs. */
  granularity: 'sentence' | 'paragraph';
  reason: string;
}

export interface DiffStats {
  wordsAdded: number;
  wordsRemoved: number;
  wordsMoved: number;
  /** Distinct paragraph pairs with at least one change (a moved paragraph counts once). */
  paragraphsChanged: number;
}

export interface DiffReport {
  changed: boolean;
  /** Would the default alert rules fire (refined by analysis). */
  alert: boolean;
  /** True when some region was diffed at a coarser granularity than words. */
  degraded: boolean;
  degradedReason?: string;
  stats: DiffStats;
  changes: Change[];
  /** The inputs were byte-identical (changed is also false for reflow or whitespace-only edits). */
  identical?: boolean;
  /** Paragraph counts of the two texts (paragraphs are separated by blank lines). */
  paragraphs?: { before: number; after: number };
  /** Every region diffed at a coarser granularity than words. */
  degradedRegions?: DegradedRegion[];
  /**
   * The full edit script, including unchanged text and whitespace: concatenating
   * '=', '-' and '<' texts gives the old text, '=', '+' and '>' the new one,
   * byte for byte. Always present in reports made by diffText.
   */
  script?: ScriptEntry[];
}
