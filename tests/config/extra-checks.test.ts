import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfigText, loadConfig, parseConfigText, type ExtraCheck, type RedlineConfig } from '../../src/config/index.js';
import { problemsOf, problemsOfAsync, yaml } from './helpers.js';

const F = 'redline.yaml';
const RULES = ['sentence', 'moved', 'watch-terms'];

/** A fake of the analysis stage's rule-name check: it looks only at the merged per-source settings. */
const ruleNames: ExtraCheck = (c) =>
  c.sources.flatMap((s, i) =>
    Object.keys(s.significance.rules ?? {})
      .filter((name) => !RULES.includes(name))
      .map((name) => ({ path: ['sources', i, 'significance', 'rules', name], message: `no significance rule is named "${name}"`, at: 'key' as const })),
  );

/** A fake of the alert channels' validator: paths into ChannelConfig.settings. */
const channels: ExtraCheck = (c) =>
  c.alerts.flatMap((a, i) =>
    typeof a.settings.url === 'string' && !a.settings.url.startsWith('https://')
      ? [{ path: ['alerts', i, 'settings', 'url'], message: 'webhooks must use https' }]
      : [],
  );

const both: ExtraCheck = (c) => [...ruleNames(c), ...channels(c)];

const brief = (text: string, check: ExtraCheck) =>
  problemsOf(() => parseConfigText(text, F, {}, { extraChecks: check })).map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);

describe('extraChecks', () => {
  it('gets the loaded config and changes nothing when it finds no problem', () => {
    let seen: RedlineConfig | undefined;
    const text = yaml('sources:', '  - url: https://a.example/x');
    const c = parseConfigText(text, F, {}, { extraChecks: (cfg) => ((seen = cfg), []) });
    expect(seen).toBe(c);
    expect(c).toEqual(parseConfigText(text, F, {}));
  });

  it('locates each problem where the value was written: the source, one of its tags, or the top level', () => {
    const text = yaml(
      'significance:',
      '  rules:',
      '    sentense: { min_words: 6 }',
      'tag_significance:',
      '  uk:',
      '    rules:',
      '      mooved: { enabled: false }',
      'sources:',
      '  - url: https://a.example/one',
      '    tags: [uk]',
      '  - url: https://a.example/two',
      '    significance:',
      '      rules:',
      '        wach-terms: { level: high }',
    );
    // "sentense" reaches both sources, and is reported once, at the top level where it is written.
    expect(brief(text, ruleNames)).toEqual([
      '3:5 significance.rules.sentense: no significance rule is named "sentense"',
      '7:7 tag_significance.uk.rules.mooved: no significance rule is named "mooved"',
      '14:9 sources[1].significance.rules.wach-terms: no significance rule is named "wach-terms"',
    ]);
  });

  it('finds values under their file names: settings of a channel, snake_case keys, defaults a source inherits', () => {
    const check: ExtraCheck = (c) => [
      ...channels(c),
      ...c.sources.flatMap((s, i) => [
        ...(s.fetch.userAgent.includes('bot') ? [{ path: ['sources', i, 'fetch', 'userAgent'], message: 'say who you are' }] : []),
        ...(s.fetch.bodyTimeoutMs < 5000 ? [{ path: ['sources', i, 'fetch', 'bodyTimeoutMs'], message: 'too short for PDFs' }] : []),
        ...(s.policy.failingAfter > 9 ? [{ path: ['sources', i, 'policy', 'failingAfter'], message: 'too patient' }] : []),
      ]),
      ...(c.watchTerms.length > 1 ? [{ path: ['watchTerms', 1], message: 'second term' }] : []),
    ];
    const text = yaml(
      'defaults:',
      '  user_agent: crawlbot',
      '  failing_after: 10',
      'watch_terms: [a, b]',
      'sources:',
      '  - url: https://a.example/one',
      '    timeout: 2s',
      '  - url: https://a.example/two',
      '    user_agent: Redline (+https://example.org)',
      '    failing_after: 12',
      'alerts:',
      '  - type: webhook',
      '    url: http://hooks.example/x',
    );
    expect(brief(text, check)).toEqual([
      '2:15 defaults.user_agent: say who you are',
      '3:18 defaults.failing_after: too patient',
      '4:18 watch_terms[1]: second term',
      '7:14 sources[0].timeout: too short for PDFs',
      '10:20 sources[1].failing_after: too patient',
      '13:10 alerts[0].url: webhooks must use https',
    ]);
  });

  it('points at the source for a value that is a built-in default, in the file\'s spelling', () => {
    const check: ExtraCheck = (c) => c.sources.map((_, i) => ({ path: ['sources', i, 'policy', 'removalMinMs'], message: 'set it' }));
    expect(brief(yaml('sources:', '  - url: https://a.example/x'), check)).toEqual(['2:5 sources[0].removal_min_duration: set it']);
  });

  it('reports its problems together with schema problems, at the right entry when invalid entries were left out', () => {
    const text = yaml(
      'sources:',
      '  - url: ftp://a.example/bad', // dropped: no valid url
      '    significance: { rules: { nope: {} } }',
      '  - url: https://a.example/ok',
      '    schedule: "*/61 * * * *"', // dropped key; the source stays
      '    significance: { rules: { sentense: {} } }',
      'alerts:',
      '  - url: http://hooks.example/no-type', // dropped: no type
      '  - type: webhook',
      '    url: http://hooks.example/x',
    );
    expect(brief(text, both)).toEqual([
      expect.stringMatching(/^2:10 sources\[0\]\.url: "ftp:\/\/a\.example\/bad" uses ftp/),
      expect.stringMatching(/^5:15 sources\[1\]\.schedule: "\*\/61 \* \* \* \*" is not a valid cron expression/),
      '6:30 sources[1].significance.rules.sentense: no significance rule is named "sentense"',
      expect.stringMatching(/^8:5 alerts\[0\]\.type: is missing/),
      '10:10 alerts[1].url: webhooks must use https',
    ]);
  });

  it('does not run on a file whose YAML is broken or whose top level is not a mapping', () => {
    let calls = 0;
    const count: ExtraCheck = () => (calls++, []);
    problemsOf(() => parseConfigText('sources: [\n', F, {}, { extraChecks: count }));
    problemsOf(() => parseConfigText('- a\n', F, {}, { extraChecks: count }));
    expect(calls).toBe(0);
  });

  it('skips values that use an unset variable in lenient mode, like the schema does', () => {
    const text = yaml('sources:', '  - url: https://a.example/x', 'alerts:', '  - type: webhook', '    url: "${HOOK}"');
    const fussy: ExtraCheck = (c) => c.alerts.map((_, i) => ({ path: ['alerts', i, 'settings', 'url'], message: 'empty url' }));
    expect(checkConfigText(text, F, {}, { missingEnv: 'ignore', extraChecks: fussy }).problems).toEqual([]);
    expect(checkConfigText(text, F, { HOOK: '' }, { missingEnv: 'ignore', extraChecks: fussy }).problems.map((p) => p.message)).toEqual([
      'empty url',
    ]);
  });

  it('says which watch list was being checked when a check throws or returns junk', () => {
    const text = yaml('sources:', '  - url: https://a.example/x');
    const boom: ExtraCheck = () => {
      throw new Error('rules not registered');
    };
    expect(() => parseConfigText(text, F, {}, { extraChecks: boom })).toThrow(
      'an extra check of the watch list redline.yaml failed: rules not registered',
    );
    const junk = (() => [{ path: 'alerts.0', message: 'x' }]) as unknown as ExtraCheck;
    expect(() => parseConfigText(text, F, {}, { extraChecks: junk })).toThrow(/returned something other than a list of \{ path/);
  });

  describe('through loadConfig', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'redline-extra-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports with the file name as given', async () => {
      const file = path.join(dir, 'redline.yaml');
      await writeFile(file, yaml('sources:', '  - url: https://a.example/x', '    significance:', '      rules:', '        sentense: {}'));
      const problems = await problemsOfAsync(() => loadConfig(file, {}, { extraChecks: ruleNames }));
      expect(problems).toEqual([
        { file, line: 5, column: 9, path: 'sources[0].significance.rules.sentense', message: 'no significance rule is named "sentense"' },
      ]);
    });
  });
});
