/** Discord webhook: {content, embeds}; content ≤ 2000 characters, embed description ≤ 4096. */
import { z } from 'zod';
import { flavors } from '../excerpt.js';
import { composeMessage, summaryOf, titleOf } from '../message.js';
import { clip, isHttpUrl } from '../text.js';
import type { Alert, ChannelKind } from '../types.js';
import { httpUrl, name, timeoutMs } from './common.js';
import { redactUrl, send } from './http.js';

export const DISCORD_CONTENT_MAX = 2000;
export const DISCORD_DESCRIPTION_MAX = 4096;
const TITLE_MAX = 256;

const COLORS = { none: 0x808080, low: 0x2e7d32, medium: 0xf9a825, high: 0xc62828 } as const;

const settings = z.strictObject({
  name,
  url: httpUrl,
  username: z.string().min(1).max(80).optional(),
  timeoutMs: timeoutMs(10_000),
});

export type DiscordSettings = z.output<typeof settings>;

export function discordPayload(alert: Alert, s: Pick<DiscordSettings, 'username'>) {
  const md = flavors.md;
  const link = isHttpUrl(alert.links.diff) ? alert.links.diff : isHttpUrl(alert.url) ? alert.url : undefined;
  const content = clip(`${md.strong(titleOf(alert))}\n${md.para(summaryOf(alert))}`, DISCORD_CONTENT_MAX);
  const description = composeMessage(alert, md, { maxChars: DISCORD_DESCRIPTION_MAX, omitSummary: true }).text;
  return {
    content,
    ...(s.username ? { username: s.username } : {}),
    embeds: [
      {
        title: clip(titleOf(alert), TITLE_MAX),
        ...(link ? { url: link } : {}),
        description,
        color: COLORS[alert.significance?.level ?? 'none'],
        timestamp: alert.detectedAt,
      },
    ],
    // Page text may contain "@everyone" or role mentions; never let an alert ping anyone.
    allowed_mentions: { parse: [] as string[] },
  };
}

export const discord: ChannelKind<DiscordSettings> = {
  type: 'discord',
  description: 'Discord webhook (content + embed, Markdown diff)',
  settings,
  identity: (s) => s.url,
  async deliver(alert, s, ctx) {
    const body = JSON.stringify(discordPayload(alert, s));
    await send(s.url, { body, headers: { 'content-type': 'application/json' }, timeoutMs: s.timeoutMs, signal: ctx.signal, label: `Discord webhook ${redactUrl(s.url)}` });
  },
};
