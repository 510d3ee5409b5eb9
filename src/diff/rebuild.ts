/**
 * Rebuilds both input texts from a report's edit script: the proof that the
 * report loses nothing (whitespace, line breaks and moved text included).
 */
import type { DiffReport, ScriptEntry } from './types.js';

const BEFORE = new Set(['=', '-', '<']);
const AFTER = new Set(['=', '+', '>']);

export function rebuild(report: Pick<DiffReport, 'script'>): { before: string; after: string } {
  const script: unknown = report?.script;
  if (!Array.isArray(script)) {
    throw new TypeError('rebuild: the report has no `script` array; only reports made by diffText (or their JSON) can be rebuilt');
  }
  const before: string[] = [];
  const after: string[] = [];
  script.forEach((entry: ScriptEntry, i: number) => {
    if (!Array.isArray(entry) || typeof entry[1] !== 'string' || !(BEFORE.has(entry[0]) || AFTER.has(entry[0]))) {
      throw new TypeError(`rebuild: script entry ${i} is not [op, text] with op one of = - + < >: ${JSON.stringify(entry)?.slice(0, 80)}`);
    }
    if (BEFORE.has(entry[0])) before.push(entry[1]);
    if (AFTER.has(entry[0])) after.push(entry[1]);
  });
  return { before: before.join(''), after: after.join('') };
}
