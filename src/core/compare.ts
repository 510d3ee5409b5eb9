/** Diff two versions of a source's statement and judge the change. */
import type { SourceConfig } from '../config/types.js';
import type { CheckEntry } from '../store/types.js';
import type { DiffReport } from '../diff/types.js';
import type { Significance } from '../alert/types.js';
import { diffText } from '../diff/index.js';
import { summarize } from '../alert/summary.js';
import type { CheckContext } from './context.js';

export interface Compared {
  report: DiffReport;
  summary: string;
  significance?: Significance;
}

export function compareVersions(
  _ctx: CheckContext, _source: SourceConfig, before: string, after: string, _from?: CheckEntry, _to?: CheckEntry,
): Compared {
  const report = diffText(before, after);
  return { report, summary: summarize(report) };
}
