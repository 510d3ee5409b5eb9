/** Small text helpers for putting hostile page text into one-line and markup contexts. */

// C0/C1 controls and the bidi embedding/override/isolate marks: the latter can make a
// subject line read differently from what it contains ("Trojan Source" style).
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Collapse to a single line with no control or bidi-override characters. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
}

/** Cut to at most `max` characters (code points), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const head = chars.slice(0, max - 1).join('');
  // Prefer to end on a word boundary when one is not too far back.
  const space = head.lastIndexOf(' ');
  return (space >= head.length / 2 ? head.slice(0, space) : head).trimEnd() + '…';
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Backslash-escape CommonMark punctuation that could start formatting, links or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]()<>|#!{}]/g, (c) => `\\${c}`).replace(/@(everyone|here)/g, '@\u200B$1');
}

/** Slack mrkdwn: only &, < and > are special (and < > would open links/mentions such as <!channel>). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Characters XML 1.0 forbids anywhere; a page can contain them and they would make a feed unreadable. */
export function stripXmlInvalid(text: string): string {
  return text.replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

export function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
