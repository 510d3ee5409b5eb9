/** Modality changed: must/shall/will ↔ should/may/could/might/can/would. */
import type { WordToken } from '../sentences.js';
import { q } from './util.js';
import type { ContentRule, Finding, JudgedUnit } from './types.js';

const STRONG = new Set(['must', 'shall', 'will']);
const WEAK = new Set(['should', 'may', 'could', 'might', 'can', 'would', 'ought']);

function modals(tokens: WordToken[], unit: JudgedUnit, side: 'before' | 'after'): string[] {
  const all = side === 'before' ? unit.beforeWords : unit.afterWords;
  const text = side === 'before' ? unit.cmpBefore : unit.cmpAfter;
  return tokens.filter((t) => {
    if (!STRONG.has(t.norm) && !WEAK.has(t.norm)) return false;
    const next = all[all.indexOf(t) + 1];
    // "the will of", "political will"; "May 2019".
    if (t.norm === 'will' && (!next || /^(of|and|to)$/.test(next.norm))) return false;
    if (t.norm === 'may' && text.slice(t.start, t.end) === 'May' && next && /^\d/.test(next.norm)) return false;
    return true;
  }).map((t) => t.norm);
}

export const modalityRule: ContentRule = {
  kind: 'content',
  name: 'modality',
  description: 'modal verb changed, added or dropped (must/shall/will vs should/may/could/might/can/would)',
  level: 'high',
  run(unit) {
    if (unit.kind !== 'edited') return [];
    const out: Finding[] = [];
    for (const h of unit.hunks) {
      const removed = modals(h.removed, unit, 'before');
      const added = modals(h.added, unit, 'after');
      const n = Math.max(removed.length, added.length);
      for (let i = 0; i < n; i++) {
        const r = removed[i];
        const a = added[i];
        if (r && a) {
          if (r === a) continue;
          if (STRONG.has(r) && WEAK.has(a)) out.push({ message: `modality weakened: ${q(r)} → ${q(a)}` });
          else if (WEAK.has(r) && STRONG.has(a)) out.push({ message: `modality strengthened: ${q(r)} → ${q(a)}` });
          else out.push({ message: `modality changed: ${q(r)} → ${q(a)}`, level: 'medium' });
        } else if (r) {
          out.push({ message: `modality dropped: ${q(r)}`, level: STRONG.has(r) ? 'high' : 'medium' });
        } else if (a) {
          out.push({ message: `modality added: ${q(a)}`, level: STRONG.has(a) ? 'high' : 'medium' });
        }
      }
    }
    return out;
  },
};
