/** Lays out an alert for a human: the one-line summary, then the diff excerpt, then where to see the whole. */
import { type Flavor, renderExcerpt } from './excerpt.js';
import { summarize } from './summary.js';
import { clip, isHttpUrl, oneLine } from './text.js';
import type { Alert, AlertEvent } from './types.js';

const EVENT_LABEL: Record<AlertEvent, string> = {
  changed: 'statement changed',
  new: 'new statement',
  removed: 'statement removed',
  restored: 'statement restored',
  failing: 'source failing',
  recovered: 'source recovered',
};

/** The summary line, recomputed when the producer left it empty. */
export function summaryOf(alert: Alert): string {
  return oneLine(alert.summary) || summarize(alert);
}

/** "fema-maria: statement changed" (plain text). */
export function titleOf(alert: Alert, max = 150): string {
  const level = alert.significance && alert.significance.level !== 'none' ? ` [${alert.significance.level}]` : '';
  return clip(`${oneLine(alert.source)}: ${EVENT_LABEL[alert.event]}${level}`, max);
}

/** "Significance: high — negation removed; 'must' → 'should'" or undefined when there is nothing to say. */
export function significanceLine(alert: Alert): string | undefined {
  const s = alert.significance;
  if (!s || s.level === 'none') return undefined;
  const reasons = s.reasons.map(oneLine).filter(Boolean).join('; ');
  return clip(`Significance: ${s.level}${reasons ? ` — ${reasons}` : ''}`, 300);
}

/** The link (or CLI command) to the whole diff, and the source page. */
export function footer(alert: Alert, flavor: Flavor): string {
  const parts: string[] = [];
  const diff = alert.links.diff;
  if (isHttpUrl(diff)) parts.push(flavor.link('Full diff', diff));
  else if (diff) parts.push(flavor.para(`Full diff: ${oneLine(diff)}`));
  if (isHttpUrl(alert.links.archive)) parts.push(flavor.link('Archived versions', alert.links.archive));
  if (isHttpUrl(alert.url)) parts.push(flavor.link('Source page', alert.url));
  else parts.push(flavor.para(`Source: ${oneLine(alert.url)}`));
  const sep = flavor.name === 'html' || flavor.name === 'matrix' ? ' · ' : '\n';
  const body = parts.join(sep);
  return flavor.name === 'html' || flavor.name === 'matrix' ? `<p>${body.replace(/<\/?p>/g, '')}</p>` : body;
}

export interface ComposeOptions {
  /** Hard limit on the whole message in the target markup. */
  maxChars: number;
  /** Leave the summary out (the channel shows it elsewhere, e.g. as a title). */
  omitSummary?: boolean;
  /** Leave the links out (the channel puts them in buttons). */
  omitFooter?: boolean;
}

export interface Composed {
  text: string;
  /** Changes in the excerpt / in the report: the caller can say "n more". */
  shown: number;
  total: number;
}

/**
 * The whole message body. Fixed parts (summary, links) are laid out first and the
 * excerpt gets what is left, so the links to the full diff never fall off the end.
 */
export function composeMessage(alert: Alert, flavor: Flavor, opts: ComposeOptions): Composed {
  const head: string[] = [];
  if (!opts.omitSummary) head.push(flavor.strong(summaryOf(alert)));
  const sig = significanceLine(alert);
  if (sig) head.push(flavor.para(sig));
  const tail = opts.omitFooter ? '' : footer(alert, flavor);
  const fixed = [...head, tail].filter(Boolean);
  const fixedLen = fixed.join(flavor.sep).length;
  const room = opts.maxChars - fixedLen - flavor.sep.length * 2;
  const excerpt = room >= 40 ? renderExcerpt(alert.report, flavor, { maxChars: room }) : { text: '', shown: 0, total: alert.report?.changes.length ?? 0 };
  const text = [...head, excerpt.text, tail].filter(Boolean).join(flavor.sep);
  // Only a summary/footer longer than the whole limit can get here; clipping plain text is safe,
  // clipping markup is not, so fall back to the bare summary.
  const safe =
    text.length <= opts.maxChars
      ? text
      : flavor.name === 'text'
        ? clip(text, opts.maxChars)
        : flavor.para(clip(summaryOf(alert), Math.max(1, Math.floor(opts.maxChars / 2))));
  return { text: safe, shown: excerpt.shown, total: excerpt.total };
}
