/** Slack incoming webhook: {text, blocks} with mrkdwn. */
import { z } from 'zod';
import { flavors } from '../excerpt.js';
import { composeMessage, summaryOf, titleOf } from '../message.js';
import { clip, escapeSlack, isHttpUrl } from '../text.js';
import type { Alert, ChannelKind } from '../types.js';
import { httpUrl, maxChars, name, timeoutMs } from './common.js';
import { redactUrl, send } from './http.js';

// A section block's text is capped at 3000 characters, a header's at 150.
const SECTION_MAX = 3000;

const settings = z.strictObject({
  name,
  url: httpUrl,
  timeoutMs: timeoutMs(10_000),
  maxChars: maxChars(SECTION_MAX, SECTION_MAX),
});

export type SlackSettings = z.output<typeof settings>;

export function slackPayload(alert: Alert, s: Pick<SlackSettings, 'maxChars'>) {
  const body = composeMessage(alert, flavors.slack, { maxChars: s.maxChars, omitFooter: true });
  const links: string[] = [];
  if (isHttpUrl(alert.links.diff)) links.push(flavors.slack.link('Full diff', alert.links.diff));
  else if (alert.links.diff) links.push(escapeSlack(`Full diff: ${alert.links.diff}`));
  if (isHttpUrl(alert.url)) links.push(flavors.slack.link('Source page', alert.url));
  return {
    // Shown in notifications and by clients that cannot draw blocks.
    text: clip(`${titleOf(alert)}: ${summaryOf(alert)}`, SECTION_MAX),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: titleOf(alert, 150), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: body.text, verbatim: true } },
      ...(links.length ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: clip(links.join('  ·  '), SECTION_MAX), verbatim: true }] }] : []),
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

export const slack: ChannelKind<SlackSettings> = {
  type: 'slack',
  description: 'Slack incoming webhook (mrkdwn blocks)',
  settings,
  identity: (s) => s.url,
  async deliver(alert, s, ctx) {
    const body = JSON.stringify(slackPayload(alert, s));
    await send(s.url, { body, headers: { 'content-type': 'application/json' }, timeoutMs: s.timeoutMs, signal: ctx.signal, label: `Slack webhook ${redactUrl(s.url)}` });
  },
};
