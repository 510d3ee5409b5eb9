/**
 * Microsoft Teams incoming webhook: an Adaptive Card message (Workflows webhooks) or the
 * older MessageCard (Office 365 connectors). Teams rejects messages over about 28 KB.
 */
import { z } from 'zod';
import { flavors } from '../excerpt.js';
import { composeMessage, summaryOf, titleOf } from '../message.js';
import { isHttpUrl } from '../text.js';
import type { Alert, ChannelKind } from '../types.js';
import { httpUrl, name, timeoutMs } from './common.js';
import { redactUrl, send } from './http.js';

export const TEAMS_MAX_BYTES = 28_000;

const settings = z.strictObject({
  name,
  url: httpUrl,
  format: z.enum(['adaptive', 'messagecard']).default('adaptive'),
  maxChars: z.number().int().min(500).max(20_000).default(12_000),
  timeoutMs: timeoutMs(10_000),
});

export type TeamsSettings = z.output<typeof settings>;

function actions(alert: Alert): { title: string; url: string }[] {
  const out: { title: string; url: string }[] = [];
  if (isHttpUrl(alert.links.diff)) out.push({ title: 'Full diff', url: alert.links.diff });
  if (isHttpUrl(alert.url)) out.push({ title: 'Source page', url: alert.url });
  return out;
}

function build(alert: Alert, format: TeamsSettings['format'], budget: number): unknown {
  const md = flavors.md;
  // Buttons carry the links when there are URLs; a CLI command stays in the text.
  const hasButtons = actions(alert).length > 0 && isHttpUrl(alert.links.diff);
  const text = composeMessage(alert, md, { maxChars: budget, omitSummary: true, omitFooter: hasButtons }).text;
  if (format === 'messagecard') {
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: titleOf(alert),
      themeColor: alert.significance?.level === 'high' ? 'C62828' : '0076D7',
      title: titleOf(alert),
      text: `${md.strong(summaryOf(alert))}\n\n${text}`,
      potentialAction: actions(alert).map((a) => ({ '@type': 'OpenUri', name: a.title, targets: [{ os: 'default', uri: a.url }] })),
    };
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: md.para(titleOf(alert)), weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: md.para(summaryOf(alert)), wrap: true },
            { type: 'TextBlock', text, wrap: true },
          ],
          actions: actions(alert).map((a) => ({ type: 'Action.OpenUrl', title: a.title, url: a.url })),
        },
      },
    ],
  };
}

export function teamsPayload(alert: Alert, s: Pick<TeamsSettings, 'format' | 'maxChars'>): unknown {
  for (let budget = s.maxChars; ; budget = Math.floor(budget * 0.7)) {
    const payload = build(alert, s.format, budget);
    if (Buffer.byteLength(JSON.stringify(payload)) <= TEAMS_MAX_BYTES || budget <= 500) return payload;
  }
}

export const teams: ChannelKind<TeamsSettings> = {
  type: 'teams',
  description: 'Microsoft Teams incoming webhook (Adaptive Card, or legacy MessageCard)',
  settings,
  identity: (s) => s.url,
  async deliver(alert, s, ctx) {
    const body = JSON.stringify(teamsPayload(alert, s));
    await send(s.url, { body, headers: { 'content-type': 'application/json' }, timeoutMs: s.timeoutMs, signal: ctx.signal, label: `Teams webhook ${redactUrl(s.url)}` });
  },
};
