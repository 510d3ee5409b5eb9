import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseConfigText } from '../../src/config/index.js';
import { problemsOf, yaml } from './helpers.js';

const F = 'redline.yaml';
const parse = (text: string) => parseConfigText(text, F, {});
const brief = (text: string) => problemsOf(() => parse(text)).map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);

describe('removal and failure policy', () => {
  it('defaults to 3 confirmations over at least 1h, and "failing" after 5 failed checks', () => {
    expect(DEFAULT_POLICY).toEqual({ removalConfirmations: 3, removalMinMs: 3_600_000, failingAfter: 5 });
    expect(parse(yaml('sources:', '  - url: https://a.example/x')).sources[0].policy).toEqual(DEFAULT_POLICY);
  });

  it('merges key by key: the source, then defaults, then built-in', () => {
    const c = parse(
      yaml(
        'defaults:',
        '  removal_confirmations: 4',
        '  removal_min_duration: 2h',
        'sources:',
        '  - url: https://a.example/one',
        '    failing_after: 2',
        '  - url: https://a.example/two',
        '    removal_confirmations: 1',
        '    removal_min_duration: 0',
      ),
    );
    expect(c.sources.map((s) => s.policy)).toEqual([
      { removalConfirmations: 4, removalMinMs: 7_200_000, failingAfter: 2 },
      // 0 = a single confirmation is enough whenever it comes.
      { removalConfirmations: 1, removalMinMs: 0, failingAfter: 5 },
    ]);
  });

  it('rejects counts below 1 or fractional, and durations that are not durations, each at its line', () => {
    expect(
      brief(
        yaml(
          'defaults:',
          '  removal_confirmations: 0',
          '  failing_after: 2.5',
          'sources:',
          '  - url: https://a.example/x',
          '    removal_min_duration: soon',
          '    removal_confirmation: 3',
        ),
      ),
    ).toEqual([
      '2:26 defaults.removal_confirmations: 0 expected a whole number from 1 to 1000, found the number 0',
      '3:18 defaults.failing_after: 2.5 expected a whole number from 1 to 1000, found the number 2.5',
      expect.stringMatching(/^6:27 sources\[0\]\.removal_min_duration: "soon" is not a duration/),
      expect.stringMatching(/^7:5 sources\[0\]\.removal_confirmation: unknown key "removal_confirmation" \(did you mean "removal_confirmations"\?\)/),
    ]);
  });
});

describe('significance thresholds', () => {
  const TEXT = yaml(
    'significance:',
    '  alert_at: medium',
    '  rules:',
    '    sentence: { min_words: 5, enabled: true }',
    '    capture-date: { tolerance_days: 2 }',
    'tag_significance:',
    '  treaty:',
    '    alert_at: high',
    '    rules:',
    '      sentence: { level: low }',
    '  press:',
    '    alert_at: low',
    '    rules:',
    '      moved: { enabled: false }',
    '  quiet:',
    'sources:',
    '  - url: https://a.example/plain',
    '  - url: https://a.example/both',
    '    tags: [press, treaty]',
    '  - url: https://a.example/own',
    '    tags: [treaty, press, quiet]',
    '    significance:',
    '      rules:',
    '        sentence: { min_words: 8 }',
    '        watch-terms: { level: high, extra_terms: [backdoor] }',
  );

  it('merges top-level, then each tag in the order listed, then the source; rule settings key by key', () => {
    const [plain, both, own] = parse(TEXT).sources;
    expect(plain.significance).toEqual({
      alertAt: 'medium',
      rules: { sentence: { minWords: 5, enabled: true }, 'capture-date': { toleranceDays: 2 } },
    });
    expect(both.significance).toEqual({
      alertAt: 'high', // treaty is listed last
      rules: {
        sentence: { minWords: 5, enabled: true, level: 'low' },
        'capture-date': { toleranceDays: 2 },
        moved: { enabled: false },
      },
    });
    expect(own.significance).toEqual({
      alertAt: 'low', // press is listed after treaty here
      rules: {
        sentence: { minWords: 8, enabled: true, level: 'low' },
        'capture-date': { toleranceDays: 2 },
        moved: { enabled: false },
        'watch-terms': { level: 'high', extraTerms: ['backdoor'] },
      },
    });
  });

  it('keeps the unmerged blocks on the config, and a source without any gets an empty block', () => {
    const c = parse(TEXT);
    expect(c.significance.alertAt).toBe('medium');
    expect(Object.keys(c.tagSignificance)).toEqual(['treaty', 'press', 'quiet']);
    expect(c.tagSignificance.quiet).toEqual({});
    expect(parse(yaml('sources:', '  - url: https://a.example/x')).sources[0].significance).toEqual({});
  });

  it('does not share settings objects between sources (a consumer editing one cannot change another)', () => {
    const [, both, own] = parse(TEXT).sources;
    expect(both.significance.rules?.moved).not.toBe(own.significance.rules?.moved);
  });

  it('reports bad levels with "did you mean", non-boolean enabled, and settings that are not mappings', () => {
    expect(
      brief(
        yaml(
          'significance:',
          '  alert_at: hgh',
          '  rules:',
          '    sentence: false',
          '    moved: { enabled: "no", level: 3 }',
          'sources:',
          '  - url: https://a.example/x',
          '    significance: { alert_at: none, rules: [sentence] }',
        ),
      ),
    ).toEqual([
      '2:13 significance.alert_at: "hgh" is not a level: use one of none, low, medium, high (did you mean "high"?)',
      expect.stringMatching(/^4:15 significance\.rules\.sentence: expected the rule's settings: a mapping such as \{ enabled: false \}/),
      '5:23 significance.rules.moved.enabled: "no" expected true or false, found the text "no"',
      '5:36 significance.rules.moved.level: 3 is not a level: use one of none, low, medium, high',
      '8:44 sources[0].significance.rules: expected rules by name (e.g. sentence: { min_words: 8 }), found a list',
    ]);
  });

  it('reports a parameter given twice (snake_case and camelCase) at the second spelling', () => {
    expect(brief(yaml('significance:', '  rules:', '    sentence:', '      min_words: 5', '      minWords: 6'))).toEqual([
      '5:7 significance.rules.sentence.minWords: sets the same parameter as "min_words"; keep one of them',
    ]);
  });

  it('knows the keys of every significance block', () => {
    expect(
      brief(
        yaml(
          'significance: { alert_on: high }',
          'tag_significance:',
          '  t: { rule: {} }',
          'sources:',
          '  - url: https://a.example/x',
          '    tags: [t]',
          '    significance: { alertAt: low }',
        ),
      ),
    ).toEqual([
      '1:17 significance.alert_on: unknown key "alert_on" (did you mean "alert_at"?); allowed here: alert_at, rules',
      '3:8 tag_significance.t.rule: unknown key "rule" (did you mean "rules"?); allowed here: alert_at, rules',
      '7:21 sources[0].significance.alertAt: unknown key "alertAt" (did you mean "alert_at"?); allowed here: alert_at, rules',
    ]);
  });

  it('reports settings for a tag no source has, at the tag, with "did you mean"', () => {
    expect(brief(yaml('tag_significance:', '  tretay: { alert_at: high }', 'sources:', '  - url: https://a.example/x', '    tags: [treaty]'))).toEqual([
      '2:3 tag_significance.tretay: no source has the tag "tretay" (did you mean "treaty"?), so these settings would apply to nothing',
    ]);
  });

  it('reports "__proto__" as a rule name, parameter or header, which would otherwise be dropped without a word', () => {
    expect(
      brief(
        yaml(
          'significance:',
          '  rules:',
          '    __proto__: { level: high }',
          '    sentence: { __proto__: 1 }',
          'sources:',
          '  - url: https://a.example/x',
          '    headers: { __proto__: x }',
        ),
      ),
    ).toEqual([
      '3:5 significance.rules.__proto__: "__proto__" cannot be used as a name here',
      '4:17 significance.rules.sentence.__proto__: "__proto__" cannot be used as a name here',
      '7:16 sources[0].headers.__proto__: "__proto__" cannot be used as a name here',
    ]);
  });

  it('accepts empty blocks ("significance:" with nothing under it)', () => {
    const c = parse(yaml('significance:', 'tag_significance:', 'sources:', '  - url: https://a.example/x', '    significance:'));
    expect(c.significance).toEqual({});
    expect(c.tagSignificance).toEqual({});
    expect(c.sources[0].significance).toEqual({});
  });
});
