/** render(report, format): one report model, five views. */
import type { DiffReport } from '../types.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { Format, RenderOptions } from './shared.js';
import { renderSideBySide } from './side-by-side.js';
import { renderUnified } from './unified.js';

const RENDERERS: Record<Format, (r: DiffReport, o: RenderOptions) => string> = {
  unified: renderUnified,
  html: renderHtml,
  'side-by-side': renderSideBySide,
  md: renderMarkdown,
  json: renderJson,
};

export const FORMATS = Object.keys(RENDERERS) as Format[];

export function render(report: DiffReport, format: Format, opts: RenderOptions = {}): string {
  const fn = RENDERERS[format];
  if (!fn || !Object.hasOwn(RENDERERS, format)) {
    throw new RangeError(`render: unknown format ${JSON.stringify(format)}; use one of ${FORMATS.join(', ')}`);
  }
  return fn(report, opts);
}

export type { Format, RenderOptions } from './shared.js';
export { autoColor, escapeHtml } from './shared.js';
export { escapeMarkdown } from './markdown.js';
