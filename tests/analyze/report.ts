/**
 * A small paragraph-then-word DiffReport builder for the analysis tests, used while
 * src/diff has no diffText. Paragraphs are split on blank lines, equal paragraphs are
 * anchors, changed ones are paired by word similarity and word-diffed.
 */
import { diffArrays, diffWordsWithSpace } from 'diff';
import type { Change, DiffReport, Segment } from '../../src/diff/types.js';
import { wordSimilarity } from '../../src/analyze/align.js';
import { archiveParagraphs } from '../../src/analyze/units.js';

function segmentsOf(a: string, b: string): Segment[] {
  return diffWordsWithSpace(a, b).map((p) => ({ op: p.added ? 'insert' : p.removed ? 'delete' : 'equal', text: p.value }));
}

export function simpleReport(before: string, after: string): DiffReport {
  const a = archiveParagraphs(before);
  const b = archiveParagraphs(after);
  const norm = (p: string) => p.replace(/\s+/g, ' ').trim();
  const parts = diffArrays(a.map(norm), b.map(norm));
  const changes: Change[] = [];
  let ai = 0;
  let bi = 0;
  let dels: number[] = [];
  let ins: number[] = [];
  const flush = () => {
    const used = new Set<number>();
    for (const d of dels) {
      let best = -1;
      let bestSim = 0.4;
      for (const i of ins) {
        if (used.has(i)) continue;
        const sim = wordSimilarity(a[d], b[i]);
        if (sim > bestSim) { bestSim = sim; best = i; }
      }
      if (best >= 0) {
        used.add(best);
        const segments = segmentsOf(a[d], b[best]);
        changes.push({
          kind: 'replace', beforeParagraph: d, afterParagraph: best, segments,
          removed: segments.filter((s) => s.op === 'delete').map((s) => s.text).join(' '),
          added: segments.filter((s) => s.op === 'insert').map((s) => s.text).join(' '),
          context: b[best],
        });
      } else {
        changes.push({ kind: 'delete', beforeParagraph: d, removed: a[d], added: '', context: a[d], segments: [{ op: 'delete', text: a[d] }] });
      }
    }
    for (const i of ins) {
      if (!used.has(i)) changes.push({ kind: 'insert', afterParagraph: i, removed: '', added: b[i], context: b[i], segments: [{ op: 'insert', text: b[i] }] });
    }
    dels = [];
    ins = [];
  };
  for (const p of parts) {
    if (!p.added && !p.removed) { flush(); ai += p.count; bi += p.count; continue; }
    for (let k = 0; k < p.count; k++) (p.removed ? dels : ins).push(p.removed ? ai + k : bi + k);
    if (p.removed) ai += p.count; else bi += p.count;
  }
  flush();
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  return {
    changed: changes.length > 0,
    alert: changes.length > 0,
    degraded: false,
    stats: {
      wordsAdded: changes.reduce((n, c) => n + words(c.added), 0),
      wordsRemoved: changes.reduce((n, c) => n + words(c.removed), 0),
      wordsMoved: 0,
      paragraphsChanged: changes.length,
    },
    changes,
  };
}
