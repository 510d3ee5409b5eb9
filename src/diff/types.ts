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
}

export interface DiffStats {
  wordsAdded: number;
  wordsRemoved: number;
  wordsMoved: number;
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
}
