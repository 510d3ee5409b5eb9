/** Generic webhook: the documented JSON payload, signed with HMAC-SHA256. */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { buildPayload } from '../payload.js';
import type { ChannelKind } from '../types.js';
import { httpUrl, name, secret, timeoutMs } from './common.js';
import { redactUrl, send } from './http.js';

const settings = z.strictObject({
  name,
  url: httpUrl,
  secret: secret.optional(),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'header names are letters, digits and dashes'), z.string()).default({}),
  timeoutMs: timeoutMs(10_000),
  maxChanges: z.number().int().min(0).max(10_000).default(200),
});

export type WebhookSettings = z.output<typeof settings>;

/** "sha256=<hex>", the value of X-Redline-Signature for this raw body. */
export function signBody(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('hex')}`;
}

export const webhook: ChannelKind<WebhookSettings> = {
  type: 'webhook',
  description: 'JSON POST (schema redline.alert/1), signed with X-Redline-Signature',
  settings,
  identity: (s) => s.url,
  async deliver(alert, s, ctx) {
    const body = JSON.stringify(buildPayload(alert, s.maxChanges));
    const headers: Record<string, string> = {
      ...s.headers,
      'content-type': 'application/json; charset=utf-8',
      'idempotency-key': ctx.key,
      'x-redline-event': alert.event,
      'x-redline-delivery-attempt': String(ctx.attempt),
    };
    if (s.secret) headers['x-redline-signature'] = signBody(body, s.secret);
    await send(s.url, { body, headers, timeoutMs: s.timeoutMs, signal: ctx.signal, label: `webhook ${redactUrl(s.url)}` });
  },
};
