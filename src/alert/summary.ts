/** The one-line "what changed" that leads every alert. */
import type { Change, DiffReport } from '../diff/types.js';
import { clip, oneLine } from './text.js';
import type { Alert } from './types.js';

const QUOTE_MAX = 40;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function words(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

function quote(text: string): string {
  return `'${clip(oneLine(text), QUOTE_MAX)}'`;
}

/** "2024-05-01 09:30 UTC": short, unambiguous, no locale. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return oneLine(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Words touched by one change: a replaced word counts once, not as a deletion plus an insertion. */
function changedWords(change: Change): number {
  let ins = 0;
  let del = 0;
  if (change.segments.length > 0) {
    for (const s of change.segments) {
      if (s.op === 'insert') ins += words(s.text);
      else if (s.op === 'delete') del += words(s.text);
    }
  } else {
    ins = words(change.added);
    del = words(change.removed);
  }
  return Math.max(ins, del);
}

/** The first edit inside the change, as "'must' → 'should'", "added 'not'" or "removed 'not'". */
function describeEdit(change: Change): string {
  const segs = change.segments;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s.op === 'equal' || !s.text.trim()) continue;
    const next = segs[i + 1];
    if (s.op === 'delete' && next?.op === 'insert') return `${quote(s.text)} → ${quote(next.text)}`;
    return s.op === 'delete' ? `removed ${quote(s.text)}` : `added ${quote(s.text)}`;
  }
  if (change.removed && change.added) return `${quote(change.removed)} → ${quote(change.added)}`;
  return change.added ? `added ${quote(change.added)}` : `removed ${quote(change.removed)}`;
}

/** Humans count paragraphs from 1; the report counts from 0. */
function paraNumber(change: Change): number | undefined {
  const index = change.afterParagraph ?? change.beforeParagraph;
  return index === undefined ? undefined : index + 1;
}

function listNumbers(ns: number[]): string {
  const shown = ns.slice(0, 5).join(', ');
  return ns.length > 5 ? `${shown} …` : shown;
}

export function summarizeReport(report: DiffReport): string {
  if (!report.changed || report.changes.length === 0) return 'No change in wording';
  const added: Change[] = [];
  const removed: Change[] = [];
  const moved: Change[] = [];
  const edited: Change[] = [];
  for (const c of report.changes) {
    if (c.kind === 'move') moved.push(c);
    else if (c.kind === 'insert' && c.beforeParagraph === undefined) added.push(c);
    else if (c.kind === 'delete' && c.afterParagraph === undefined) removed.push(c);
    else edited.push(c);
  }
  const parts: string[] = [];
  if (edited.length > 0) {
    const n = edited.reduce((sum, c) => sum + changedWords(c), 0);
    const paras = [...new Set(edited.map(paraNumber).filter((p): p is number => p !== undefined))];
    const where =
      paras.length === 0 ? '' : paras.length === 1 ? ` in paragraph ${paras[0]}` : ` in ${paras.length} paragraphs (${listNumbers(paras)})`;
    parts.push(`${plural(n, 'word')} changed${where}: ${describeEdit(edited[0])}`);
  }
  const whole = (list: Change[], verb: string, text: (c: Change) => string) => {
    if (list.length === 0) return;
    const p = paraNumber(list[0]);
    if (list.length === 1 && parts.length === 0 && p !== undefined) parts.push(`paragraph ${p} ${verb}: ${quote(text(list[0]))}`);
    else parts.push(`${plural(list.length, 'paragraph')} ${verb}`);
  };
  whole(added, 'added', (c) => c.added);
  whole(removed, 'removed', (c) => c.removed);
  if (moved.length === 1) {
    const c = moved[0];
    const from = c.beforeParagraph;
    const to = c.afterParagraph;
    parts.push(from !== undefined && to !== undefined ? `paragraph ${from + 1} moved to ${to + 1}` : '1 paragraph moved');
  } else if (moved.length > 1) {
    parts.push(`${moved.length} paragraphs moved`);
  }
  let line = parts.join('; ');
  line = line.charAt(0).toUpperCase() + line.slice(1);
  if (report.degraded) line += ' (coarse diff: parts compared by paragraph, not word)';
  return line;
}

function failureCause(alert: Alert): string {
  const f = alert.failure;
  if (!f) return 'failed checks';
  if (f.status !== undefined) return `HTTP ${f.status}`;
  return f.error ? clip(oneLine(f.error), 80) : 'failed checks';
}

function failureSpan(alert: Alert, phrase: string): string {
  const f = alert.failure;
  if (!f) return '';
  return ` on ${plural(f.checks, 'check')}${phrase} since ${formatTime(f.since)}`;
}

/** Summary of a whole alert (event-aware) or of a bare DiffReport. */
export function summarize(input: Alert | DiffReport): string {
  if (!('event' in input)) return summarizeReport(input);
  const alert = input;
  const report = alert.report;
  switch (alert.event) {
    case 'changed':
      return report ? summarizeReport(report) : oneLine(alert.summary) || 'Statement changed';
    case 'new': {
      const n = report ? report.stats.wordsAdded : 0;
      return n > 0 ? `New statement captured (${plural(n, 'word')})` : 'New statement captured';
    }
    case 'restored': {
      if (!report || !report.changed) return 'Statement back after removal, wording unchanged';
      const what = summarizeReport(report);
      return `Statement back after removal; ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
    }
    case 'removed':
      return `Statement removed (${failureCause(alert)}${failureSpan(alert, '')})`;
    case 'failing':
      return `Source failing: ${failureCause(alert)}${failureSpan(alert, ' in a row')}`;
    case 'recovered': {
      const f = alert.failure;
      return f ? `Source recovered after ${plural(f.checks, 'failed check')} since ${formatTime(f.since)}` : 'Source recovered';
    }
  }
}
