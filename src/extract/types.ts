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

export interface DeclaredDates {
  published?: string;
  modified?: string;
  changeNotes?: { date: string; note: string }[];
}
