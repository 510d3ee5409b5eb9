/** Diff two versions of a source's statement and judge the change. */
import type { SourceConfig } from '../config/types.js';
import type { CheckEntry } from '../store/types.js';
import type { ExtractedLink, DeclaredDates } from '../extract/types.js';
import type { Significance } from '../alert/types.js';
import { diffText } from '../diff/index.js';
import { assessSignificance, refineReport, type AssessedReport, type PageDeclarations } from '../analyze/index.js';
import { summarize } from '../alert/summary.js';
import type { CheckContext } from './context.js';

export interface Compared {
  report: AssessedReport;
  summary: string;
  significance: Significance;
}

function links(e?: CheckEntry): ExtractedLink[] {
  return Array.isArray(e?.meta?.links) ? (e.meta.links as ExtractedLink[]) : [];
}

export function declarationsOf(e?: CheckEntry): PageDeclarations {
  return { declared: e?.meta?.declared as DeclaredDates | undefined, lastModified: e?.lastModified };
}

export function compareVersions(
  ctx: Pick<CheckContext, 'config'>, source: SourceConfig, before: string, after: string, from?: CheckEntry, to?: CheckEntry,
  /** What the page declared at the last check before `to` (defaults to `from`'s): a silent edit is judged against it. */
  lastDeclared?: PageDeclarations,
): Compared {
  const diff = diffText(before, after);
  const assessment = assessSignificance(before, after, diff, {
    watchTerms: ctx.config.watchTerms,
    captureDate: to?.time,
    links: from && to ? { before: links(from), after: links(to) } : undefined,
    declarations: from && to ? { prev: lastDeclared ?? declarationsOf(from), cur: declarationsOf(to) } : undefined,
    thresholds: source.significance,
  });
  const report = refineReport(diff, assessment);
  const significance: Significance = {
    level: assessment.level,
    alert: assessment.alert,
    reasons: assessment.reasons.map((r) => r.message),
  };
  const top = assessment.reasons[0]?.message;
  const summary = top ? `${summarize(diff)} — ${top}` : summarize(diff);
  return { report, summary, significance };
}
