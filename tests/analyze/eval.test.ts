/**
 * Precision and recall of `alert` over the labelled evaluation set (eval/cases.ts), plus
 * how often the expected rule is among the reasons. Prints the figures and every miss.
 */
import { describe, expect, it } from 'vitest';
import { assessSignificance } from '../../src/analyze/index.js';
import type { Assessment } from '../../src/analyze/types.js';
import { CASES, type EvalCase } from './eval/cases.js';
import { fixtureText } from './fixtures.js';
import { makeReport } from './make-report.js';

const WATCH_TERMS = ['encryption', 'backdoor', 'lawful access', 'end-to-end', 'exceptional access'];

export function materialise(c: EvalCase): { before: string; after: string } {
  const wrap = (body: string) => [...(c.top ?? []), body, ...(c.bottom ?? [])].join('\n\n');
  const before = wrap(fixtureText(c.fixture));
  let after = c.afterFixture ? wrap(fixtureText(c.afterFixture)) : before;
  for (const edit of c.edits) {
    if (!after.includes(edit.find)) throw new Error(`eval case "${c.id}": edit text ${JSON.stringify(edit.find)} is not in fixture ${c.fixture}; fix the case`);
    after = edit.all ? after.split(edit.find).join(edit.replace) : after.replace(edit.find, () => edit.replace);
  }
  return { before, after };
}

function ruleMatches(c: EvalCase, a: Assessment): boolean {
  const expected = Array.isArray(c.rule) ? c.rule : [c.rule];
  return expected.some((rule) => (rule === null ? a.reasons.every((r) => r.level === 'none') && !a.alert : a.reasons.some((r) => r.rule === rule)));
}

describe('evaluation set', () => {
  it('has at least 60 labelled cases with both classes represented', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(CASES.filter((c) => c.alert).length).toBeGreaterThanOrEqual(20);
    expect(CASES.filter((c) => !c.alert).length).toBeGreaterThanOrEqual(20);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
  });

  it('alerts with precision and recall ≥ 0.9 and names the expected rule', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    let ruleHits = 0;
    const misses: string[] = [];
    for (const c of CASES) {
      const { before, after } = materialise(c);
      const a = assessSignificance(before, after, makeReport(before, after), {
        watchTerms: WATCH_TERMS,
        captureDate: c.captureDate,
        links: c.links,
        declarations: c.declarations,
      });
      if (a.alert && c.alert) tp++;
      else if (a.alert) fp++;
      else if (c.alert) fn++;
      else tn++;
      const ruleOk = ruleMatches(c, a);
      if (ruleOk) ruleHits++;
      if (a.alert !== c.alert || !ruleOk) {
        const reasons = a.reasons.map((r) => `    [${r.rule}/${r.level}] ${r.message}`).join('\n');
        misses.push(`- ${c.id}: expected alert=${c.alert} rule=${JSON.stringify(c.rule)}, got alert=${a.alert} level=${a.level}\n${reasons}`);
      }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const ruleAccuracy = ruleHits / CASES.length;
    console.log(
      `evaluation: ${CASES.length} cases (${tp + fn} alert, ${fp + tn} no alert): TP ${tp} FP ${fp} FN ${fn} TN ${tn}; ` +
        `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, expected rule named in ${ruleHits}/${CASES.length} (${ruleAccuracy.toFixed(3)})` +
        (misses.length ? `\nmisses:\n${misses.join('\n')}` : ''),
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(ruleAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
