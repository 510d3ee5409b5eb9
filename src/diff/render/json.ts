/** JSON: the report itself (script included, so the output can be rebuilt), two-space indented. */
import type { DiffReport } from '../types.js';
import type { RenderOptions } from './shared.js';

export function renderJson(r: DiffReport, opts: RenderOptions = {}): string {
  const labels: Record<string, string> = {};
  if (opts.title !== undefined) labels.title = opts.title;
  if (opts.beforeLabel !== undefined) labels.beforeLabel = opts.beforeLabel;
  if (opts.afterLabel !== undefined) labels.afterLabel = opts.afterLabel;
  return JSON.stringify({ ...labels, ...r }, null, 2) + '\n';
}
