/**
 * Matrix client-server API: PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}.
 * txnId is the idempotency key, so the homeserver itself drops a re-sent alert.
 */
import { z } from 'zod';
import { flavors } from '../excerpt.js';
import { composeMessage } from '../message.js';
import type { Alert, ChannelKind } from '../types.js';
import { httpUrl, name, secret, timeoutMs } from './common.js';
import { send } from './http.js';

// Events are capped at 65,536 bytes of JSON; leave room for the envelope the server adds.
export const MATRIX_EVENT_MAX_BYTES = 60_000;

const settings = z.strictObject({
  name,
  homeserver: httpUrl,
  accessToken: secret,
  roomId: z.string().regex(/^![^:]+:.+$/, 'must be a room id like !abc123:example.org (resolve an #alias to its id first)'),
  msgtype: z.enum(['m.notice', 'm.text']).default('m.notice'),
  maxChars: z.number().int().min(500).max(30_000).default(16_000),
  timeoutMs: timeoutMs(10_000),
});

export type MatrixSettings = z.output<typeof settings>;

export function matrixContent(alert: Alert, s: Pick<MatrixSettings, 'msgtype' | 'maxChars'>) {
  let budget = s.maxChars;
  for (;;) {
    const content = {
      msgtype: s.msgtype,
      body: composeMessage(alert, flavors.text, { maxChars: budget }).text,
      format: 'org.matrix.custom.html',
      formatted_body: composeMessage(alert, flavors.matrix, { maxChars: budget }).text,
    };
    // Non-Latin text costs up to 3 bytes a character: measure bytes, shrink until it fits.
    if (Buffer.byteLength(JSON.stringify(content)) <= MATRIX_EVENT_MAX_BYTES || budget <= 500) return content;
    budget = Math.floor(budget * 0.7);
  }
}

export function matrixSendUrl(homeserver: string, roomId: string, txnId: string): string {
  const base = homeserver.replace(/\/+$/, '');
  return `${base}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`;
}

export const matrix: ChannelKind<MatrixSettings> = {
  type: 'matrix',
  description: 'Matrix room message (client-server API, txnId = idempotency key)',
  settings,
  identity: (s) => `${s.homeserver} ${s.roomId}`,
  async deliver(alert, s, ctx) {
    const url = matrixSendUrl(s.homeserver, s.roomId, ctx.key);
    const body = JSON.stringify(matrixContent(alert, s));
    await send(url, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.accessToken}` },
      timeoutMs: s.timeoutMs,
      signal: ctx.signal,
      label: `Matrix ${new URL(s.homeserver).origin} room ${s.roomId}`,
      retryAfterFromBody: (text) => {
        const ms = (JSON.parse(text) as { retry_after_ms?: unknown }).retry_after_ms;
        return typeof ms === 'number' && ms >= 0 ? ms : undefined;
      },
    });
  },
};
