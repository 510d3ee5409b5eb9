/** The DiffReport the analysis tests feed to assessSignificance. */
import type { DiffReport } from '../../src/diff/types.js';
import { simpleReport } from './report.js';

export function makeReport(before: string, after: string): DiffReport {
  return simpleReport(before, after);
}
