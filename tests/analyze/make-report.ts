/** The DiffReport the analysis tests feed to assessSignificance: the real diff engine's. */
import { diffText } from '../../src/diff/index.js';
import type { DiffReport } from '../../src/diff/types.js';

export function makeReport(before: string, after: string): DiffReport {
  return diffText(before, after);
}
