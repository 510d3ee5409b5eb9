/** Input and output of the extraction stage. */

export interface ExtractInput {
  body: Buffer;
  contentType?: string;
  /** Where the bytes came from: picks site presets and resolves links. */
  url?: string;
  kind?: 'auto' | 'html' | 'pdf' | 'text';
  select?: string[];
  remove?: string[];
}

export interface ExtractedLink {
  text: string;
  href: string;
}

export interface Extracted {
  kind: 'html' | 'pdf' | 'text';
  /** Paragraphs joined by a blank line ("\n\n"): what the archive stores. */
  text: string;
  paragraphs: string[];
  title?: string;
  /** Charset the bytes were decoded with. */
  charset?: string;
  /** Encoding accidents repaired (e.g. "mojibake: double-encoded UTF-8"), recorded with the version. */
  repairs: string[];
  /** Links inside the statement body. */
  links: ExtractedLink[];
  /** Which rule found the body: a `select` selector, a preset name, or the heuristic. */
  method: string;
  /** Dates the page declares about itself (published, modified, change notes). */
  declared?: DeclaredDates;
}

/**
 * Dates as the page states them: machine-readable values (meta, JSON-LD, time[datetime], PDF
 * info) are kept as written (ISO 8601, possibly with time and zone); human dates that parse
 * unambiguously become YYYY-MM-DD; anything else (e.g. "10/03/2017 - 08:59") is kept verbatim.
 */
export interface DeclaredDates {
  published?: string;
  modified?: string;
  changeNotes?: { date: string; note: string }[];
}

/** Why extraction refused a body; carried by ExtractError so the pipeline can record a failed check. */
export type ExtractErrorCode =
  | 'binary'
  | 'empty'
  | 'bad-selector'
  | 'select-no-match'
  | 'pdf-encrypted'
  | 'pdf-corrupt'
  | 'pdf-truncated'
  | 'pdf-no-text';

/** What the fetch stage knew about the response, for telling a block page from a statement. */
export interface BlockPageContext {
  status: number;
  headers: Record<string, string>;
  finalUrl: string;
}

export type BlockPageVerdict =
  | { blocked: true; reason: string; kind: 'challenge' | 'access-request' | 'soft-404' }
  | { blocked: false };
