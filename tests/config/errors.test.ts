import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/index.js';
import { problemsOf, problemsOfAsync, yaml } from './helpers.js';

const F = 'redline.yaml';
const parse = (text: string, env: Record<string, string> = {}) => parseConfigText(text, F, env);
/** "line:col path: message" of each problem, for compact expectations. */
const brief = (text: string) => problemsOf(() => parse(text)).map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);

describe('ConfigError', () => {
  it('renders each problem as file:line:col path: message, in file order', () => {
    const text = yaml(
      'sources:',
      '  - url: https://a.example/one',
      '  - url: https://a.example/two',
      '  - id: three',
      '    url: https://a.example/three',
      '    schedule: "*/61 * * * *"',
      'timezone: Mars/Olympus',
    );
    let err: unknown;
    try {
      parse(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as ConfigError).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'redline.yaml:6:15 sources[2].schedule: "*/61 * * * *" is not a valid cron expression (5 fields, or 6 with seconds): the minute step 61 is wider than the range 0-59, so it would fire only at 0',
    );
    expect(lines[1]).toMatch(/^redline\.yaml:7:11 timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect((err as ConfigError).problems[0]).toEqual({
      file: 'redline.yaml',
      line: 6,
      column: 15,
      path: 'sources[2].schedule',
      message: expect.stringContaining('is not a valid cron expression'),
    });
  });
});

describe('each kind of problem, with its position', () => {
  it('YAML syntax errors', () => {
    expect(brief(yaml('sources:', '  - url: https://a.example/', '    tags: [a, b', 'alerts: []'))).toEqual([
      expect.stringMatching(/^4:1 : YAML: Flow sequence in block collection must be sufficiently indented/),
    ]);
  });

  it('a mapping used as a key ("? " syntax), even one that cannot be turned into text', () => {
    expect(brief('? <<: \n')).toEqual(['1:1 : cannot read the YAML: Merge sources must be maps or map aliases']);
    expect(brief(yaml('defaults:', '  ? { x: 1 }', '  : 2'))).toEqual([expect.stringMatching(/^2:3 defaults\["\{ x: 1 \}"\]: unknown key/)]);
  });

  it('typed YAML values (!!binary, !!set, !!timestamp) that no key takes', () => {
    expect(brief(yaml('archive: !!binary aGVsbG8=', 'watch_terms: !!set { a }', 'timezone: !!timestamp 2020-01-01'))).toEqual([
      '1:10 : YAML: the tag !!binary is not supported here; remove it and write the value as plain text, a list or a mapping',
      '2:14 : YAML: the tag !!set is not supported here; remove it and write the value as plain text, a list or a mapping',
      expect.stringMatching(/^2:20 watch_terms: expected a list of terms, found a mapping/),
      '3:11 : YAML: the tag !!timestamp is not supported here; remove it and write the value as plain text, a list or a mapping',
      expect.stringMatching(/^3:23 timezone: "2020-01-01" is not an IANA time zone/),
    ]);
  });

  it('duplicate keys', () => {
    expect(brief(yaml('archive: a', 'timezone: UTC', 'archive: b'))).toEqual([expect.stringMatching(/^3:1 : YAML: Map keys must be unique/)]);
  });

  it('more than one document', () => {
    expect(brief(yaml('archive: a', '---', 'archive: b'))[0]).toMatch(/^2:1 : YAML: Source contains multiple documents/);
  });

  it('a top level that is not a mapping', () => {
    expect(brief(yaml('- url: https://a.example/'))).toEqual(['1:1 : expected a mapping at the top level (key: value lines), found a list']);
  });

  it('unknown keys, with "did you mean" and the allowed keys', () => {
    const got = brief(
      yaml('sorces:', '  - url: https://a.example/', 'defaults:', '  userAgent: x', 'sources:', '  - url: https://b.example/', '    shedule: "0 * * * *"', '    colour: red'),
    );
    expect(got).toEqual([
      expect.stringMatching(/^1:1 sorces: unknown key "sorces" \(did you mean "sources"\?\); allowed here: archive, timezone, signing_key, defaults, watch_terms, significance, tag_significance, sources, alerts$/),
      expect.stringMatching(/^4:3 defaults\.userAgent: unknown key "userAgent" \(did you mean "user_agent"\?\)/),
      expect.stringMatching(/^7:5 sources\[0\]\.shedule: unknown key "shedule" \(did you mean "schedule"\?\)/),
      expect.stringMatching(/^8:5 sources\[0\]\.colour: unknown key "colour"; allowed here: id, url, kind/),
    ]);
  });

  it('bad cron expressions', () => {
    const got = brief(
      yaml(
        'defaults:',
        '  schedule: "* * * *"',
        'sources:',
        '  - url: https://a.example/1',
        '    schedule: "60 * * * *"',
        '  - url: https://a.example/2',
        '    schedule: "@daily"',
        '  - url: https://a.example/3',
        '    schedule: 5',
        '  - url: https://a.example/4',
        '    schedule: "0 */24 * * *"',
      ),
    );
    expect(got).toEqual([
      '2:13 defaults.schedule: "* * * *" is not a valid cron expression (5 fields, or 6 with seconds): it has 4 fields',
      expect.stringMatching(/^5:15 sources\[0\]\.schedule: "60 \* \* \* \*" is not a valid cron expression .*60 is a invalid expression for minute/),
      expect.stringMatching(/^7:15 sources\[1\]\.schedule: "@daily" .*write the fields, e\.g\. "0 0 \* \* \*" for daily/),
      expect.stringMatching(/^9:15 sources\[2\]\.schedule: 5 expected a cron expression as text \(quote it\), found the number 5/),
      expect.stringMatching(/^11:15 sources\[3\]\.schedule: .*the hour step 24 is wider than the range 0-23/),
    ]);
  });

  it('bad time zones, including offsets that only newer Node versions accept', () => {
    expect(brief('timezone: Europe/Londn\n')).toEqual([
      '1:11 timezone: "Europe/Londn" is not an IANA time zone such as "Europe/London" or "UTC" (did you mean "Europe/London"?)',
    ]);
    expect(brief('timezone: "+01:00"\n')[0]).toMatch(/^1:11 timezone: "\+01:00" is not an IANA time zone/);
  });

  it('bad URLs', () => {
    const got = brief(
      yaml('sources:', '  - url: not a url', '  - url: ftp://files.example/x', '  - url: "javascript:alert(1)"', '  - url: ""', '  - kind: html', '  - url: [https://a.example/]'),
    );
    expect(got).toEqual([
      '2:10 sources[0].url: "not a url" is not a URL: write the full address, starting with https:// or http://',
      '3:10 sources[1].url: "ftp://files.example/x" uses ftp: only http and https URLs can be watched',
      '4:10 sources[2].url: "javascript:alert(1)" uses javascript: only http and https URLs can be watched',
      expect.stringMatching(/^5:10 sources\[3\]\.url: "" is empty/),
      expect.stringMatching(/^6:5 sources\[4\]\.url: is missing: give the address of the page or PDF/),
      expect.stringMatching(/^7:10 sources\[5\]\.url: \["https:\/\/a\.example\/"\] expected the address .* as text, found a list/),
    ]);
  });

  it('ids that could escape the archive or are not file-name safe', () => {
    const ids = ['../x', 'a/b', '..', '.hidden', 'A-Capital', 'a..b', 'x'.repeat(81), 'nul', 'a\\b', ''];
    const text = yaml('sources:', ...ids.flatMap((id, i) => [`  - id: ${JSON.stringify(id)}`, `    url: https://a.example/${i}`]));
    const got = problemsOf(() => parse(text));
    expect(got.map((p) => [p.line, p.path])).toEqual(ids.map((_, i) => [2 + 2 * i, `sources[${i}].id`]));
    for (const p of got) expect(p.message).toMatch(/is not a valid source id/);
    expect(got[4].message).toContain('"a-capital" would do');
  });

  it('bad kinds, durations, sizes, numbers and lists', () => {
    const got = brief(
      yaml(
        'defaults:',
        '  timeout: 10 sec',
        '  max_size: 20 parsecs',
        '  per_host_concurrency: 0',
        '  retries: 1.5',
        '  per_host_delay: -1s',
        '  body_timeout: 0',
        '  connect_timeout: 30d',
        'watch_terms: encryption',
        'sources:',
        '  - url: https://a.example/',
        '    kind: htm',
        '    select: 42',
        '    tags: [ok, ""]',
        '    headers: { "Bad Header": x, X-Ok: "a\\nb" }',
        '    ignore_robots: true',
      ),
    );
    expect(got).toEqual([
      '2:12 defaults.timeout: "10 sec" is not a duration: use e.g. "500ms", "10s", "2m", "1h" or a number of milliseconds',
      '3:13 defaults.max_size: "20 parsecs" is not a size: use e.g. "512KB", "20MB" or a number of bytes (1KB = 1024 bytes)',
      '4:25 defaults.per_host_concurrency: 0 expected a whole number from 1 to 64, found the number 0',
      '5:12 defaults.retries: 1.5 expected a whole number from 0 to 10, found the number 1.5',
      expect.stringMatching(/^6:19 defaults\.per_host_delay: "-1s" is not a duration/),
      '7:17 defaults.body_timeout: 0 must be longer than zero',
      expect.stringMatching(/^8:20 defaults\.connect_timeout: "30d" is not a duration/),
      '9:14 watch_terms: expected a list of terms, found the text "encryption"',
      '12:11 sources[0].kind: "htm" is not a kind: use one of auto, html, pdf, text (did you mean "html"?)',
      '13:13 sources[0].select: expected a CSS selector or a list of them, found the number 42',
      '14:16 sources[0].tags[1]: "" is empty: give the tag',
      '15:16 sources[0].headers["Bad Header"]: "Bad Header" is not a valid HTTP header name',
      '15:39 sources[0].headers.X-Ok: "a\\nb" contains a line break or NUL, which HTTP headers cannot carry',
      expect.stringMatching(/^16:20 sources\[0\]\.ignore_robots: true robots\.txt is obeyed unless you give the reason as text/),
    ]);
  });

  it('duplicate ids, explicit or derived from the URL', () => {
    const got = brief(
      yaml(
        'sources:',
        '  - id: statement',
        '    url: https://a.example/1',
        '  - id: statement',
        '    url: https://a.example/2',
        '  - url: https://www.gov.uk/x/statement-page',
        '  - url: https://gov.uk/y/statement-page',
      ),
    );
    expect(got).toEqual([
      '4:9 sources[1].id: duplicate source id "statement": already used by sources[0] (line 2)',
      expect.stringMatching(
        /^7:10 sources\[3\]\.url: this source has no id and the one derived from its URL, "gov-uk-statement-page", is already used by sources\[2\] \(line 6\); give it an explicit id$/,
      ),
    ]);
  });

  it('alert channels: missing type, routing to unknown sources and tags', () => {
    const got = brief(
      yaml(
        'sources:',
        '  - id: uk-e2ee',
        '    url: https://a.example/',
        '    tags: [encryption]',
        'alerts:',
        '  - url: https://hooks.example/',
        '  - type: webhook',
        '    sources: [uk-e2e]',
        '    tags: [encrypton, nothing-like-it]',
        '  - webhook',
      ),
    );
    expect(got).toEqual([
      '6:5 alerts[0].type: is missing: give the channel type, e.g. webhook',
      '8:15 alerts[1].sources[0]: no source has the id "uk-e2e" (did you mean "uk-e2ee"?)',
      '9:12 alerts[1].tags[0]: no source has the tag "encrypton" (did you mean "encryption"?), so this channel would never hear about it',
      '9:23 alerts[1].tags[1]: no source has the tag "nothing-like-it", so this channel would never hear about it',
      '10:5 alerts[2]: expected an alert channel: a mapping with at least type (key: value lines), found the text "webhook"',
    ]);
  });

  it('too many aliases (a YAML bomb) is a problem, not a crash', () => {
    const bomb = yaml('a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]');
    expect(brief(bomb)).toEqual([expect.stringMatching(/^1:1 : cannot read the YAML: .*alias/i)]);
  });
});

describe('many problems at once', () => {
  it('reports every problem in one error, sorted by line', () => {
    const text = yaml(
      'archiv: ./x',
      'timezone: Nowhere/Town',
      'defaults:',
      '  schedule: nope',
      'sources:',
      '  - id: Bad/Id',
      '    url: http//missing-colon',
      '    kind: word',
      '  - url: https://ok.example/${MISSING}',
      'alerts:',
      '  - type: webhook',
      '    sources: [ghost]',
    );
    const got = problemsOf(() => parse(text));
    expect(got.map((p) => `${p.line} ${p.path}`)).toEqual([
      '1 archiv',
      '2 timezone',
      '4 defaults.schedule',
      '6 sources[0].id',
      '7 sources[0].url',
      '8 sources[0].kind',
      '9 sources[1].url',
      '12 alerts[0].sources[0]',
    ]);
  });
});

describe('loadConfig and the file system', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'redline-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file says how to create one', async () => {
    const file = path.join(dir, 'absent.yaml');
    const [p] = await problemsOfAsync(() => loadConfig(file, {}));
    expect(p).toMatchObject({ file, line: 0, column: 0, path: '' });
    expect(p.message).toContain('redline init');
    await expect(loadConfig(file, {})).rejects.toThrow(`${file}: no watch list at ${file}; create one with \`redline init\``);
  });

  it('a directory instead of a file names the file to use', async () => {
    await mkdir(path.join(dir, 'sub'));
    await expect(loadConfig(path.join(dir, 'sub'), {})).rejects.toThrow(/is a directory; name the watch list file inside it/);
  });
});
