import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigText, DEFAULT_FETCH, DEFAULT_POLICY, EXAMPLE_CONFIG, parseConfigText } from '../../src/config/index.js';
import { yaml } from './helpers.js';

const FILE = '/srv/watch/redline.yaml';

const FULL = yaml(
  'archive: ./archive',
  'timezone: Europe/London',
  'defaults:',
  '  schedule: "*/30 * * * *"',
  '  user_agent: "Redline/0.1 (+https://example.org/contact)"',
  '  timeout: 30s',
  '  connect_timeout: 10s',
  '  response_timeout: 30s',
  '  body_timeout: 60s',
  '  max_size: 20MB',
  '  per_host_concurrency: 2',
  '  per_host_delay: 1s',
  '  retries: 2',
  'watch_terms: [encryption, "lawful access", backdoor, end-to-end]',
  'sources:',
  '  - id: uk-e2ee-statement',
  '    url: https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety',
  '    kind: html',
  '    select: ".gem-c-govspeak"',
  '    remove: [".gem-c-notice", ".share"]',
  '    schedule: "0 */6 * * *"',
  '    tags: [five-eyes, encryption]',
  '    headers: { Authorization: "Bearer ${GOVUK_TOKEN}" }',
  '    ignore_robots: "operator asked for it"',
  '    user_agent: Custom/1.0',
  '    timeout: 5s',
  '    body_timeout: 2m',
  '    max_size: 512KB',
  '    per_host_concurrency: 1',
  '    per_host_delay: 500ms',
  '    retries: 0',
  '  - url: https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety',
  'alerts:',
  '  - type: webhook',
  '    url: https://hooks.example.org/redline',
  '    secret: ${REDLINE_WEBHOOK_SECRET}',
  '    sources: [uk-e2ee-statement]',
  '    tags: [encryption]',
  '  - type: feed',
  '    path: ./feed.xml',
);

const ENV = { GOVUK_TOKEN: 'tok-123', REDLINE_WEBHOOK_SECRET: 's3cret' };

describe('parseConfigText: a valid file', () => {
  it('maps every key of the documented shape to RedlineConfig', () => {
    const c = parseConfigText(FULL, FILE, ENV);
    expect(c.file).toBe(FILE);
    expect(c.archive).toBe('/srv/watch/archive');
    expect(c.timezone).toBe('Europe/London');
    expect(c.watchTerms).toEqual(['encryption', 'lawful access', 'backdoor', 'end-to-end']);
    expect(c.defaults).toEqual({
      schedule: '*/30 * * * *',
      userAgent: 'Redline/0.1 (+https://example.org/contact)',
      connectTimeoutMs: 10_000,
      responseTimeoutMs: 30_000,
      bodyTimeoutMs: 60_000,
      maxBytes: 20 * 1024 * 1024,
      perHostConcurrency: 2,
      perHostDelayMs: 1000,
      retries: 2,
    });
    const [uk, doj] = c.sources;
    expect(uk).toEqual({
      id: 'uk-e2ee-statement',
      url: 'https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety',
      kind: 'html',
      select: ['.gem-c-govspeak'],
      remove: ['.gem-c-notice', '.share'],
      schedule: '0 */6 * * *',
      tags: ['five-eyes', 'encryption'],
      headers: { Authorization: 'Bearer tok-123' },
      ignoreRobots: { reason: 'operator asked for it' },
      fetch: {
        schedule: '0 */6 * * *',
        userAgent: 'Custom/1.0',
        // the source's own timeout beats the defaults' specific timeouts...
        connectTimeoutMs: 5000,
        responseTimeoutMs: 5000,
        // ...and its specific body_timeout beats its own timeout.
        bodyTimeoutMs: 120_000,
        maxBytes: 512 * 1024,
        perHostConcurrency: 1,
        perHostDelayMs: 500,
        retries: 0,
      },
      policy: DEFAULT_POLICY,
      significance: {},
    });
    expect(doj.id).toBe('justice-gov-international-statement-end-end-encryption-and-public-safety');
    expect(doj.kind).toBe('auto');
    expect(doj.fetch).toEqual(c.defaults);
    expect(doj.schedule).toBe('*/30 * * * *');
    expect(doj.ignoreRobots).toBeUndefined();
    expect(c.alerts).toEqual([
      {
        type: 'webhook',
        sources: ['uk-e2ee-statement'],
        tags: ['encryption'],
        settings: { url: 'https://hooks.example.org/redline', secret: 's3cret' },
      },
      { type: 'feed', sources: [], tags: [], settings: { path: './feed.xml' } },
    ]);
  });

  it('gives every default when the file only lists a source', () => {
    const c = parseConfigText(yaml('sources:', '  - url: http://127.0.0.1:8080/statement'), 'conf/redline.yaml', {});
    expect(c.archive).toBe(path.resolve('conf', 'snapshots'));
    expect(c.file).toBe(path.resolve('conf/redline.yaml'));
    expect(c.timezone).toBeUndefined();
    expect(c.watchTerms).toEqual([]);
    expect(c.alerts).toEqual([]);
    expect(c.defaults).toEqual(DEFAULT_FETCH);
    expect(c.sources).toEqual([
      {
        id: '127-0-0-1-8080-statement',
        url: 'http://127.0.0.1:8080/statement',
        kind: 'auto',
        select: [],
        remove: [],
        schedule: DEFAULT_FETCH.schedule,
        tags: [],
        headers: {},
        fetch: DEFAULT_FETCH,
        policy: DEFAULT_POLICY,
        significance: {},
      },
    ]);
    expect(c.significance).toEqual({});
    expect(c.tagSignificance).toEqual({});
    expect(c.signingKey).toBeUndefined();
  });

  it('accepts an empty file, and empty "sources:"/"alerts:" keys, as an empty watch list', () => {
    for (const text of ['', '# only a comment\n', yaml('sources:', 'alerts:', 'watch_terms:', 'defaults:')]) {
      const c = parseConfigText(text, FILE, {});
      expect(c.sources).toEqual([]);
      expect(c.alerts).toEqual([]);
      expect(c.defaults).toEqual(DEFAULT_FETCH);
    }
  });

  it('applies defaults.timeout to all three timeouts unless one is given separately', () => {
    const c = parseConfigText(yaml('defaults:', '  timeout: 7s', '  body_timeout: 90000'), FILE, {});
    expect([c.defaults.connectTimeoutMs, c.defaults.responseTimeoutMs, c.defaults.bodyTimeoutMs]).toEqual([7000, 7000, 90_000]);
  });

  it('resolves an absolute archive as given', () => {
    expect(parseConfigText('archive: /var/lib/redline\n', FILE, {}).archive).toBe('/var/lib/redline');
  });

  it('accepts 6-field cron (seconds) and weekday names', () => {
    const c = parseConfigText(yaml('defaults:', '  schedule: "30 */5 * * * *"', 'sources:', '  - url: https://a.example/x', '    schedule: 0 9 * * MON-FRI'), FILE, {});
    expect(c.defaults.schedule).toBe('30 */5 * * * *');
    expect(c.sources[0].schedule).toBe('0 9 * * MON-FRI');
  });

  it('reads YAML anchors and merge keys', () => {
    const c = parseConfigText(
      yaml('sources:', '  - &base', '    url: https://a.example/one', '    tags: [x]', '  - <<: *base', '    url: https://a.example/two'),
      FILE,
      {},
    );
    expect(c.sources.map((s) => [s.id, s.tags])).toEqual([
      ['a-example-one', ['x']],
      ['a-example-two', ['x']],
    ]);
  });
});

describe('environment variables', () => {
  const text = yaml(
    'sources:',
    '  - url: https://${HOST}/statement',
    '    headers:',
    '      Authorization: "Bearer ${TOKEN:-anonymous}"',
    '      X-Literal: "$${NOT_A_VAR}"',
  );

  it('substitutes ${VAR} in any string value, with ${VAR:-default} for unset or empty', () => {
    const c = parseConfigText(text, FILE, { HOST: 'www.gov.uk', TOKEN: '' });
    expect(c.sources[0].url).toBe('https://www.gov.uk/statement');
    expect(c.sources[0].headers).toEqual({ Authorization: 'Bearer anonymous', 'X-Literal': '${NOT_A_VAR}' });
    expect(parseConfigText(text, FILE, { HOST: 'h.example', TOKEN: 't' }).sources[0].headers.Authorization).toBe('Bearer t');
  });

  it('names a missing variable and its line', () => {
    expect(() => parseConfigText(text, 'redline.yaml', {})).toThrow(
      'redline.yaml:2:10 sources[0].url: environment variable HOST is not set; set it, or write ${HOST:-default} to give a default',
    );
  });

  it('shows the value as written, not the expanded secret, in other messages', () => {
    const u = yaml('sources:', '  - url: "ftp://${SECRET}@example.org/"');
    let message = '';
    try {
      parseConfigText(u, 'redline.yaml', { SECRET: 'hunter2' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('"ftp://${SECRET}@example.org/" uses ftp');
    expect(message).not.toContain('hunter2');
  });

  it('reports a malformed reference', () => {
    expect(() => parseConfigText(yaml('archive: "${not valid}"'), 'redline.yaml', {})).toThrow(
      'redline.yaml:1:10 archive: "${not valid}" is not a variable reference',
    );
  });

  it('can let values with unset variables pass unchecked, for editing without the secrets', () => {
    const t = yaml('sources:', '  - url: "${URL}"', '  - url: "ftp://x.example/"');
    const lenient = checkConfigText(t, 'redline.yaml', {}, { missingEnv: 'ignore' });
    expect(lenient.problems.map((p) => p.path)).toEqual(['sources[1].url']);
    expect(lenient.config).toBeUndefined();
    // A value that the schema would accept empty (a channel's secret) gives no config either.
    const secret = yaml('sources:', '  - url: https://a.example/', 'alerts:', '  - type: webhook', '    secret: ${SECRET}');
    const lenientSecret = checkConfigText(secret, 'redline.yaml', {}, { missingEnv: 'ignore' });
    expect(lenientSecret.problems).toEqual([]);
    expect(lenientSecret.config).toBeUndefined();
    expect(checkConfigText(secret, 'redline.yaml', { SECRET: 's' }, { missingEnv: 'ignore' }).config?.alerts[0].settings).toEqual({ secret: 's' });
    const strict = checkConfigText(t, 'redline.yaml', {});
    expect(strict.problems.map((p) => p.path)).toEqual(['sources[0].url', 'sources[1].url']);
    expect(strict.problems[0].message).toMatch(/^environment variable URL is not set/);
  });
});

describe('the example watch list', () => {
  it('is valid and watches the three real statements', () => {
    const c = parseConfigText(EXAMPLE_CONFIG, FILE, {});
    expect(c.sources.map((s) => s.url)).toEqual([
      'https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety',
      'https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety',
      'https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/836665/HS_open_letter_to_Mark_Zuckerberg.PDF',
    ]);
    expect(c.sources[2].kind).toBe('pdf');
    expect(c.alerts).toEqual([]);
    expect(c.watchTerms).toContain('lawful access');
  });

  it('leaves GOV.UK and justice.gov pages to the built-in presets (no select), and documents every new key', () => {
    const c = parseConfigText(EXAMPLE_CONFIG, FILE, {});
    const [uk, doj, pdf] = c.sources;
    expect([uk.select, doj.select]).toEqual([[], []]);
    expect(EXAMPLE_CONFIG).toMatch(/presets, chosen by host/);
    expect(EXAMPLE_CONFIG).toMatch(/A select given here overrides the preset/);
    expect(uk.policy).toEqual({ removalConfirmations: 3, removalMinMs: 3_600_000, failingAfter: 5 });
    expect(uk.significance).toEqual({ alertAt: 'medium', rules: { sentence: { minWords: 5 }, parties: { level: 'high' } } });
    expect(doj.significance).toEqual({ alertAt: 'medium', rules: { sentence: { minWords: 5 } } });
    expect(pdf.significance.alertAt).toBe('low');
    for (const key of ['removal_confirmations', 'removal_min_duration', 'failing_after', 'significance', 'tag_significance', 'signing_key', 'alert_at']) {
      expect(EXAMPLE_CONFIG).toContain(`${key}:`);
    }
  });

  it('loads with its commented signing_key line switched on', () => {
    const on = EXAMPLE_CONFIG.replace('# signing_key: ./redline.key', 'signing_key: ./redline.key');
    expect(on).not.toBe(EXAMPLE_CONFIG);
    expect(parseConfigText(on, FILE, {}).signingKey).toBe('/srv/watch/redline.key');
  });
});

describe('signing_key', () => {
  it('is resolved relative to the watch list, like archive; ~ is the home folder', () => {
    expect(parseConfigText('signing_key: keys/redline.key\n', FILE, {}).signingKey).toBe('/srv/watch/keys/redline.key');
    expect(parseConfigText('signing_key: ../redline.key\n', FILE, {}).signingKey).toBe('/srv/redline.key');
    expect(parseConfigText('signing_key: /etc/redline/key\n', FILE, {}).signingKey).toBe('/etc/redline/key');
    expect(parseConfigText('signing_key: ~/.redline/key\n', FILE, {}).signingKey).toBe(path.join(os.homedir(), '.redline/key'));
    expect(parseConfigText('signing_key: ${KEY}\n', FILE, { KEY: 'from-env.key' }).signingKey).toBe('/srv/watch/from-env.key');
  });

  it('must not lie inside the archive, which gets shared', () => {
    expect(() => parseConfigText('archive: ./snapshots\nsigning_key: snapshots/keys/redline.key\n', 'redline.yaml', {})).toThrow(
      /^redline\.yaml:2:14 signing_key: \S+\/snapshots\/keys\/redline\.key is inside the archive \S+\/snapshots, which gets copied and shared; keep the key in another folder$/,
    );
    expect(parseConfigText('archive: ./snapshots\nsigning_key: ./snapshots-key\n', FILE, {}).signingKey).toBe('/srv/watch/snapshots-key');
  });

  it('must be a non-empty path', () => {
    expect(() => parseConfigText('signing_key: ""\n', 'redline.yaml', {})).toThrow('redline.yaml:1:14 signing_key: "" is empty: give the path of the signing key file');
    expect(() => parseConfigText('signing_key: [a]\n', 'redline.yaml', {})).toThrow('expected the path of the signing key file as text, found a list');
  });
});
