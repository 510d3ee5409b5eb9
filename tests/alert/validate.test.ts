import { describe, expect, it } from 'vitest';
import { channelMatches, formatProblem, validateChannels } from '../../src/alert/registry.js';
import type { ChannelConfig } from '../../src/config/types.js';

const ch = (type: string, settings: Record<string, unknown>, routing: Partial<ChannelConfig> = {}): ChannelConfig => ({ type, sources: [], tags: [], settings, ...routing });

describe('validateChannels', () => {
  it('accepts a correct list of every kind and fills defaults', () => {
    const { channels, problems } = validateChannels(
      [
        ch('webhook', { url: 'https://hooks.example.org/redline', secret: 's3cret' }),
        ch('email', { host: 'smtp.example.org', user: 'u', pass: 'p', from: 'Redline <alerts@example.org>', to: 'desk@example.org' }),
        ch('slack', { url: 'https://hooks.slack.com/services/T/B/X' }),
        ch('discord', { url: 'https://discord.com/api/webhooks/1/abc' }),
        ch('matrix', { homeserver: 'https://matrix.example.org', accessToken: 'tok', roomId: '!room:example.org' }),
        ch('teams', { url: 'https://example.webhook.office.com/x' }),
        ch('atom', { path: 'feeds/alerts.xml' }),
        ch('jsonl', {}),
      ],
      '/etc/redline/redline.yaml',
    );
    expect(problems).toEqual([]);
    expect(channels.map((c) => c.type)).toEqual(['webhook', 'email', 'slack', 'discord', 'matrix', 'teams', 'atom', 'jsonl']);
    expect(channels[0].id).toMatch(/^webhook:[0-9a-f]{8}$/);
    expect(channels[1].settings).toMatchObject({ starttls: true, secure: false, to: ['desk@example.org'] });
    expect((channels[6].settings as { maxEntries: number }).maxEntries).toBe(200);
    expect(channels[6].baseDir).toBe('/etc/redline');
  });

  it('reports every problem at once with the channel index and field', () => {
    const { channels, problems } = validateChannels(
      [
        ch('webhook', { url: 'ftp://x.example.org', secrte: 'typo' }),
        ch('pager', {}),
        ch('email', { host: 'smtp.example.org', from: 'not-an-address', to: [], user: 'u' }),
        ch('matrix', { homeserver: 'https://m.example.org', accessToken: 't', roomId: '#alias:example.org' }),
        ch('jsonl', { path: 'ok.jsonl' }, { sources: ['nope'] }),
      ],
      'redline.yaml',
      { sourceIds: ['five-eyes-2020'] },
    );
    const lines = problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^redline\.yaml: alerts\[0\] \(webhook\) settings\.url: must be an http/),
        expect.stringMatching(/^redline\.yaml: alerts\[0\] \(webhook\) settings: Unrecognized key: "secrte"/),
        expect.stringMatching(/^redline\.yaml: alerts\[1\] \(pager\) type: unknown channel type "pager"; use one of: webhook, email/),
        expect.stringMatching(/alerts\[2\] \(email\) settings\.from: must be an e-mail address/),
        expect.stringMatching(/alerts\[2\] \(email\) settings\.to/),
        expect.stringMatching(/alerts\[3\] \(matrix\) settings\.roomId: must be a room id/),
        expect.stringMatching(/alerts\[4\] \(jsonl\) sources: routes to source "nope"/),
      ]),
    );
    expect(problems.every((p) => p.file === 'redline.yaml')).toBe(true);
    // Only the jsonl channel is usable; the rest are reported, not half-loaded.
    expect(channels.map((c) => c.index)).toEqual([4]);
  });

  it('reads secrets from the environment and reports a missing variable', () => {
    process.env.REDLINE_TEST_SECRET = 'from-env';
    const ok = validateChannels([ch('webhook', { url: 'https://h.example.org/', secret: { env: 'REDLINE_TEST_SECRET' } })], 'r.yaml');
    expect((ok.channels[0].settings as { secret: string }).secret).toBe('from-env');
    delete process.env.REDLINE_TEST_SECRET_MISSING;
    const bad = validateChannels([ch('webhook', { url: 'https://h.example.org/', secret: { env: 'REDLINE_TEST_SECRET_MISSING' } })], 'r.yaml');
    expect(bad.problems.map(formatProblem)).toEqual(['r.yaml: alerts[0] (webhook) settings.secret: environment variable REDLINE_TEST_SECRET_MISSING is not set']);
  });

  it('keeps ids stable across reordering and rejects two channels with one destination', () => {
    const a = ch('webhook', { url: 'https://a.example.org/' });
    const b = ch('slack', { url: 'https://hooks.slack.com/services/1' });
    const one = validateChannels([a, b], 'r.yaml').channels.map((c) => c.id);
    const two = validateChannels([b, a], 'r.yaml').channels.map((c) => c.id);
    expect(new Set(one)).toEqual(new Set(two));
    const dup = validateChannels([a, ch('webhook', { url: 'https://a.example.org/', secret: 'x' })], 'r.yaml');
    expect(dup.problems.map(formatProblem)[0]).toMatch(/alerts\[1\] \(webhook\) settings: same channel id "webhook:[0-9a-f]{8}" as alerts\[0\]/);
    const named = validateChannels([a, ch('webhook', { url: 'https://a.example.org/', name: 'second' })], 'r.yaml');
    expect(named.problems).toEqual([]);
    expect(named.channels[1].id).toBe('second');
  });
});

describe('channelMatches', () => {
  const alert = { source: 'five-eyes-2020', tags: ['encryption', 'uk'] };
  it('routes by sources and tags, each filter narrowing', () => {
    expect(channelMatches({ sources: [], tags: [] }, alert)).toBe(true);
    expect(channelMatches({ sources: ['five-eyes-2020'], tags: [] }, alert)).toBe(true);
    expect(channelMatches({ sources: ['other'], tags: [] }, alert)).toBe(false);
    expect(channelMatches({ sources: [], tags: ['uk', 'fr'] }, alert)).toBe(true);
    expect(channelMatches({ sources: [], tags: ['fr'] }, alert)).toBe(false);
    expect(channelMatches({ sources: ['five-eyes-2020'], tags: ['fr'] }, alert)).toBe(false);
  });
});
