import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/alert/errors.js';
import { type Receiver, bigReport, hostileAlert, makeAlert, startReceiver } from './helpers.js';
import { deliverTo } from './deliver-helper.js';

let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

describe('Slack incoming webhook', () => {
  it('posts {text, blocks} with the mrkdwn diff and links', async () => {
    const r = await receiver(() => ({ status: 200, body: 'ok' }));
    await deliverTo('slack', { url: `${r.url}/services/T0/B0/secret` }, makeAlert());
    const p = JSON.parse(r.requests[0].body);
    expect(r.requests[0].url).toBe('/services/T0/B0/secret');
    expect(p.text).toContain("five-eyes-2020: statement changed [high]: 2 words changed in paragraph 4");
    expect(p.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(p.blocks[1].text.type).toBe('mrkdwn');
    expect(p.blocks[1].text.text).toContain('~must not~ *should*');
    expect(p.blocks[2].elements[0].text).toContain('<https://redline.example.org/diff/five-eyes-2020/1..2|Full diff>');
  });

  it('keeps every block within Slack limits on a huge diff, and escapes page text', async () => {
    const r = await receiver();
    await deliverTo('slack', { url: r.url }, makeAlert({ report: bigReport(60) }));
    await deliverTo('slack', { url: r.url }, hostileAlert());
    const big = JSON.parse(r.requests[0].body);
    expect(big.blocks[0].text.text.length).toBeLessThanOrEqual(150);
    expect(big.blocks[1].text.text.length).toBeLessThanOrEqual(3000);
    expect(big.blocks[1].text.text).toMatch(/\d+ more changes not shown/);
    const hostile = JSON.parse(r.requests[1].body).blocks[1].text.text as string;
    expect(hostile).not.toContain('<!channel>');
    expect(hostile).toContain('&lt;script&gt;');
  });

  it('turns a refusal into a non-retryable error without leaking the secret URL', async () => {
    const r = await receiver(() => ({ status: 404, body: 'no_service' }));
    const err = await deliverTo('slack', { url: `${r.url}/services/T0/B0/topsecret` }, makeAlert()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(false);
    expect((err as DeliveryError).message).toMatch(/Slack webhook http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 404: no_service/);
    expect((err as DeliveryError).message).not.toContain('topsecret');
  });
});

describe('Discord webhook', () => {
  it('posts {content, embeds} with mentions disabled', async () => {
    const r = await receiver(() => ({ status: 204 }));
    await deliverTo('discord', { url: r.url, username: 'Redline' }, makeAlert());
    const p = JSON.parse(r.requests[0].body);
    expect(p.content).toContain('2 words changed in paragraph 4');
    expect(p.username).toBe('Redline');
    expect(p.allowed_mentions).toEqual({ parse: [] });
    expect(p.embeds[0]).toMatchObject({ url: 'https://redline.example.org/diff/five-eyes-2020/1..2', timestamp: '2024-05-01T09:30:00.000Z' });
    expect(p.embeds[0].description).toContain('~~must not~~ **should**');
  });

  it('respects the 2000-character content and embed limits on a huge diff', async () => {
    const r = await receiver(() => ({ status: 204 }));
    await deliverTo('discord', { url: r.url }, makeAlert({ report: bigReport(80), summary: 'x '.repeat(3000) }));
    const p = JSON.parse(r.requests[0].body);
    expect(p.content.length).toBeLessThanOrEqual(2000);
    const e = p.embeds[0];
    expect(e.title.length).toBeLessThanOrEqual(256);
    expect(e.description.length).toBeLessThanOrEqual(4096);
    expect(e.title.length + e.description.length).toBeLessThanOrEqual(6000);
    expect(e.description).toContain('[Full diff](https://redline.example.org/diff/five-eyes-2020/1..2)');
  });

  it('reports 429 as retryable with the wait Discord asked for', async () => {
    const r = await receiver(() => ({ status: 429, headers: { 'retry-after': '7' }, body: '{"retry_after":7}' }));
    const err = (await deliverTo('discord', { url: r.url }, makeAlert()).catch((e: unknown) => e)) as DeliveryError;
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(7000);
  });
});

describe('Matrix client-server API', () => {
  it('PUTs m.room.message with the idempotency key as txnId, and the server dedups', async () => {
    const events = new Map<string, string>();
    const r = await receiver((req) => {
      if (req.headers.authorization !== 'Bearer syt_token') return { status: 401, body: '{"errcode":"M_UNKNOWN_TOKEN"}' };
      const m = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(req.url);
      if (!m || req.method !== 'PUT') return { status: 400 };
      const txn = decodeURIComponent(m[2]);
      if (!events.has(txn)) events.set(txn, `$event${events.size}`);
      return { status: 200, body: JSON.stringify({ event_id: events.get(txn) }) };
    });
    const settings = { homeserver: `${r.url}/`, accessToken: 'syt_token', roomId: '!room:example.org' };
    await deliverTo('matrix', settings, makeAlert());
    await deliverTo('matrix', settings, makeAlert());
    expect(r.requests).toHaveLength(2);
    expect(events.size).toBe(1);
    expect(decodeURIComponent(r.requests[0].url)).toBe('/_matrix/client/v3/rooms/!room:example.org/send/m.room.message/five-eyes-2020@v2');
    const c = JSON.parse(r.requests[0].body);
    expect(c).toMatchObject({ msgtype: 'm.notice', format: 'org.matrix.custom.html' });
    expect(c.body).toContain('[-must not-] {+should+}');
    expect(c.formatted_body).toContain('<del>must not</del>');
    expect(c.formatted_body).toContain('<a href="https://redline.example.org/diff/five-eyes-2020/1..2">Full diff</a>');
  });

  it('stays under the event size limit with non-Latin text and escapes HTML', async () => {
    const r = await receiver(() => ({ status: 200, body: '{"event_id":"$x"}' }));
    const report = bigReport(50, 800);
    for (const c of report.changes) for (const s of c.segments) s.text = s.text.replace(/wörd/g, '言葉');
    await deliverTo('matrix', { homeserver: r.url, accessToken: 't', roomId: '!r:x.org', maxChars: 30_000 }, makeAlert({ report }));
    await deliverTo('matrix', { homeserver: r.url, accessToken: 't', roomId: '!r:x.org' }, hostileAlert());
    expect(Buffer.byteLength(r.requests[0].body)).toBeLessThanOrEqual(60_000);
    const hostile = JSON.parse(r.requests[1].body).formatted_body as string;
    expect(hostile).toContain('&lt;script&gt;');
    expect(hostile).not.toContain('<script>');
  });

  it('reads retry_after_ms from a rate-limit answer', async () => {
    const r = await receiver(() => ({ status: 429, body: '{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2500}' }));
    const err = (await deliverTo('matrix', { homeserver: r.url, accessToken: 't', roomId: '!r:x.org' }, makeAlert()).catch((e: unknown) => e)) as DeliveryError;
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(2500);
  });
});

describe('Microsoft Teams webhook', () => {
  it('posts an Adaptive Card with buttons to the diff and the source', async () => {
    const r = await receiver(() => ({ status: 202 }));
    await deliverTo('teams', { url: r.url }, makeAlert());
    const p = JSON.parse(r.requests[0].body);
    expect(p.type).toBe('message');
    expect(p.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = p.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body.map((b: { type: string }) => b.type)).toEqual(['TextBlock', 'TextBlock', 'TextBlock']);
    expect(card.body[2].text).toContain('~~must not~~ **should**');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Full diff', url: 'https://redline.example.org/diff/five-eyes-2020/1..2' },
      { type: 'Action.OpenUrl', title: 'Source page', url: makeAlert().url },
    ]);
  });

  it('posts a MessageCard when asked, and stays under 28 KB on a huge diff', async () => {
    const r = await receiver(() => ({ status: 200, body: '1' }));
    await deliverTo('teams', { url: r.url, format: 'messagecard' }, makeAlert());
    await deliverTo('teams', { url: r.url, maxChars: 20_000 }, makeAlert({ report: bigReport(100, 800) }));
    const card = JSON.parse(r.requests[0].body);
    expect(card).toMatchObject({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions' });
    expect(card.potentialAction[0]).toMatchObject({ '@type': 'OpenUri', name: 'Full diff' });
    expect(Buffer.byteLength(r.requests[1].body)).toBeLessThanOrEqual(28_000);
  });
});
