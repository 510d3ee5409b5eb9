/**
 * Silent edits: compare what a page declares about its own updates (GOV.UK "Last updated"
 * and change notes, article:modified_time, JSON-LD dateModified, HTTP Last-Modified) with
 * whether the statement text actually changed.
 */
import type { DeclaredDates } from '../extract/types.js';
import { parseTime } from './dates.js';
import type { PageDeclarations, SilentEditResult } from './types.js';

export interface SilentEditInput {
  /** Declarations at the previous check (absent for the first version). */
  prev?: PageDeclarations;
  cur: PageDeclarations;
  /** Did the statement's wording change (not typography only) between the two checks? */
  textChanged: boolean;
}

function sameMoment(a: string, b: string): boolean {
  const ta = parseTime(a);
  const tb = parseTime(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a.trim() === b.trim() : ta === tb;
}

const noteKey = (n: { date: string; note: string }) => `${n.date.trim()}|${n.note.replace(/\s+/g, ' ').trim().toLowerCase()}`;

function declaresDates(d: DeclaredDates | undefined): boolean {
  return !!d && !!(d.modified || d.published || (d.changeNotes && d.changeNotes.length > 0));
}

/** What changed in the page's own declarations, as short phrases; empty when nothing did. */
function declaredUpdates(prev: DeclaredDates | undefined, cur: DeclaredDates | undefined): string[] {
  const out: string[] = [];
  if (cur?.modified && (!prev?.modified || !sameMoment(prev.modified, cur.modified))) {
    out.push(prev?.modified ? `declared modified date ${prev.modified} → ${cur.modified}` : `declared modified date ${cur.modified} (none before)`);
  }
  const seen = new Set((prev?.changeNotes ?? []).map(noteKey));
  for (const n of cur?.changeNotes ?? []) {
    if (!seen.has(noteKey(n))) out.push(`change note ${n.date}: "${n.note.replace(/\s+/g, ' ').trim().slice(0, 200)}"`);
  }
  return out;
}

export function detectSilentEdit(input: SilentEditInput): SilentEditResult {
  const { prev, cur, textChanged } = input;
  if (!prev) return { kind: null, message: 'first version: nothing to compare declarations with' };
  const updates = declaredUpdates(prev.declared, cur.declared);
  const pageDeclares = declaresDates(prev.declared) || declaresDates(cur.declared);
  const httpBoth = !!prev.lastModified && !!cur.lastModified;
  const httpMoved = httpBoth && !sameMoment(prev.lastModified!, cur.lastModified!);

  if (textChanged) {
    if (updates.length > 0) return { kind: null, message: `text change declared by the page: ${updates.join('; ')}` };
    if (pageDeclares) {
      const last = cur.declared?.modified ?? cur.declared?.published ?? prev.declared?.modified ?? prev.declared?.published;
      return {
        kind: 'silent-edit',
        message: `silent edit: the statement text changed but the page declares no new update date or change note${last ? ` (it still says ${last})` : ''}`,
      };
    }
    if (httpBoth && !httpMoved) {
      return { kind: 'silent-edit', message: `silent edit: the statement text changed but HTTP Last-Modified is still ${cur.lastModified}` };
    }
    if (httpMoved) return { kind: null, message: `text change matches a new HTTP Last-Modified (${cur.lastModified})` };
    return { kind: null, message: 'the page declares no update dates: cannot tell whether the edit was announced' };
  }
  if (updates.length > 0) {
    return { kind: 'declared-update-without-change', message: `page declares an update but the statement text did not change: ${updates.join('; ')}` };
  }
  return { kind: null, message: 'no text change and no declared update' };
}
