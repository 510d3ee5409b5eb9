import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  deriveSourceId,
  EXAMPLE_CONFIG,
  loadConfig,
  parseConfigText,
  sourceIdProblem,
  type ExtraCheck,
  type ParseOptions,
} from '../../src/config/index.js';

/** Fragments that exercise YAML's syntax and our keys far more often than random characters would. */
const TOKENS = [
  'sources:', 'alerts:', 'defaults:', 'archive:', 'timezone:', 'watch_terms:', '- ', '  ', '    ', '\n', '\r\n', '\t',
  'significance:', 'tag_significance:', 'rules:', 'alert_at: ', 'sentence: ', 'min_words: ', 'minWords: ', '__proto__: ',
  'removal_confirmations: ', 'removal_min_duration: ', 'failing_after: ', 'signing_key: ',
  'url: ', 'id: ', 'kind: ', 'select: ', 'tags: ', 'headers: ', 'schedule: ', 'timeout: ', 'max_size: ', 'type: ',
  'https://a.example/x', 'ftp://x', '../x', '"*/5 * * * *"', '*/61', '${X}', '${X:-d}', '$${', '${', '}', '[', ']', '{', '}',
  ', ', ': ', '"', "'", '#', '&a ', '*a', '<<: ', '!!str ', '!!binary ', '!tag ', '? ', '|', '>', '---', '...', '~', 'null',
  '1e309', '-1', '0x1F', '.nan', 'true', '10s', '20MB', 'Europe/London', '\u{1F600}', '\u0000', '\uFEFF', '%YAML 1.2', '@',
];

const yamlish = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));

/** Plausible files with one or two values swapped for anything JSON can hold. */
const mutated = fc
  .tuple(
    fc.array(fc.record({ url: fc.webUrl(), id: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }) }), { maxLength: 4 }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('archive', 'timezone', 'defaults', 'watch_terms', 'sources', 'alerts', 'schedule', 'max_size'),
  )
  .map(([sources, junk, where]) => {
    const doc: Record<string, unknown> = { sources: sources.map((s) => (s.id === undefined ? { url: s.url } : s)) };
    if (where === 'schedule' || where === 'max_size') doc.defaults = { [where]: junk };
    else doc[where] = junk;
    return JSON.stringify(doc, null, 2);
  });

/** Reports something at every place another stage might: each source's merged values, each channel setting, watch terms. */
const everywhere: ExtraCheck = (c) => [
  ...c.sources.flatMap((src, i) => [
    { path: ['sources', i, 'fetch', 'userAgent'], message: 'ua' },
    { path: ['sources', i, 'policy', 'removalMinMs'], message: 'removal' },
    ...Object.keys(src.significance.rules ?? {}).map((r) => ({ path: ['sources', i, 'significance', 'rules', r], message: 'rule', at: 'key' as const })),
    ...src.tags.map((_, j) => ({ path: ['sources', i, 'tags', j], message: 'tag' })),
  ]),
  ...c.alerts.flatMap((a, i) => Object.keys(a.settings).map((k) => ({ path: ['alerts', i, 'settings', k], message: 'setting' }))),
  ...c.watchTerms.map((_, i) => ({ path: ['watchTerms', i], message: 'term' })),
];

function onlyConfigErrors(text: string, env: Record<string, string>, options: ParseOptions = {}): void {
  try {
    parseConfigText(text, 'redline.yaml', env, options);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
      expect(p.message.length).toBeGreaterThan(0);
    }
  }
}

describe('properties', () => {
  it('YAML-ish text never makes parsing throw anything but a ConfigError with positioned problems', () => {
    fc.assert(
      fc.property(yamlish, fc.dictionary(fc.constantFrom('X', 'Y'), fc.string({ maxLength: 5 })), (text, env) => onlyConfigErrors(text, env)),
      { numRuns: 1000 },
    );
  });

  it('plausible files with a junk value never throw anything but a ConfigError', () => {
    fc.assert(fc.property(mutated, (text) => onlyConfigErrors(text, {})), { numRuns: 400 });
  });

  it('extra checks reporting everywhere, on YAML-ish text or junk values, only ever give positioned ConfigErrors', () => {
    fc.assert(fc.property(fc.oneof(yamlish, mutated), (text) => onlyConfigErrors(text, {}, { extraChecks: everywhere })), { numRuns: 600 });
  });

  it('the example with a random slice cut out never throws anything but a ConfigError', () => {
    fc.assert(
      fc.property(fc.nat(EXAMPLE_CONFIG.length), fc.nat(200), (start, len) =>
        onlyConfigErrors(EXAMPLE_CONFIG.slice(0, start) + EXAMPLE_CONFIG.slice(start + len), {}),
      ),
      { numRuns: 300 },
    );
  });

  it('every http(s) URL derives an id that is a safe file name', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true, size: 'medium' }), (url) => {
        const id = deriveSourceId(url);
        expect(sourceIdProblem(id)).toBeUndefined();
        expect(deriveSourceId(url)).toBe(id);
      }),
      { numRuns: 500 },
    );
  });

  describe('through loadConfig', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'redline-prop-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('files on disk, including invalid UTF-8, only ever reject with ConfigError', async () => {
      const file = path.join(dir, 'redline.yaml');
      await fc.assert(
        fc.asyncProperty(fc.oneof(yamlish.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))), async (bytes) => {
          await writeFile(file, bytes);
          await loadConfig(file, {}).catch((e: unknown) => {
            if (!(e instanceof ConfigError)) throw e;
          });
        }),
        { numRuns: 100 },
      );
    });
  });
});
