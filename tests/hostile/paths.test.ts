/**
 * Input safety (issue 6): source ids and file names can never escape the archive directory.
 * Every way a name reaches a path (a source id given to the store, an id derived from a
 * hostile URL by the config loader, a blob hash, an alert key) is driven with random and
 * adversarial strings; afterwards nothing may exist outside the archive folder.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alert/index.js';
import type { Alert } from '../../src/alert/types.js';
import { ConfigError, parseConfigText } from '../../src/config/index.js';
import { openFsStore, StoreError, type FsStore } from '../../src/store/index.js';

const ADVERSARIAL_IDS = [
  '..', '.', '../escape', '../../../../tmp/evil', 'a/../../b', '..\\..\\windows', '/etc/passwd', 'C:\\x', '%2e%2e%2f', '%2e%2e',
  'a%2f..%2f..', '\u2215etc', '\uff0e\uff0e', 'a\u0000b', '~', '~root', '$HOME', '${HOME}', 'sources', 'objects', 'LOCK', 'FORMAT',
  ' x', 'x ', '-rf', '.git', 'a'.repeat(81), 'ﬁle', 'İ', 'con', 'a..b', 'x/.', 'sources/../..', 'x\n../y',
];

let tmp: string;
let root: string;
let store: FsStore;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'redline-paths-'));
  root = path.join(tmp, 'archive');
  store = await openFsStore(root);
});

afterAll(async () => {
  await store?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Every file and folder under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map((e) => String(e));
}

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const check = { time: '2026-01-01T00:00:00.000Z', url: 'https://www.gov.example/statement', outcome: 'failed' as const, error: { code: 'network', message: 'x' } };

describe('names never leave the archive', () => {
  it('source ids: every id is refused with E_SOURCE_ID or lands in sources/<id>/ inside the archive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...ADVERSARIAL_IDS), fc.string({ maxLength: 90, unit: 'binary' }), fc.stringMatching(/^[a-z0-9./\\%-]{1,30}$/)),
        async (id) => {
          try {
            await store.append(id, check);
          } catch (err) {
            expect(err).toBeInstanceOf(StoreError);
            expect((err as StoreError).code).toBe('E_SOURCE_ID');
            for (const op of [() => store.log(id), () => store.head(id), () => store.versions(id)]) {
              await expect(op()).rejects.toMatchObject({ code: 'E_SOURCE_ID' });
            }
            return;
          }
          const dir = path.join(root, 'sources', id);
          expect(inside(path.join(root, 'sources'), dir), `accepted id ${JSON.stringify(id)} maps outside sources/`).toBe(true);
          expect(path.dirname(dir)).toBe(path.join(root, 'sources'));
        },
      ),
      { numRuns: 200 },
    );
    // Only the archive exists in the temp folder; inside it, only the archive's own layout.
    expect(await readdir(tmp)).toEqual(['archive']);
    for (const rel of await tree(root)) {
      expect(rel.split(path.sep)[0], rel).toMatch(/^(FORMAT|LOCK|objects|sources)$/);
    }
  });

  it('blob hashes: anything but 64 lowercase hex is refused before a path is built', async () => {
    for (const hash of ['../../../etc/passwd', '..', `${'a'.repeat(62)}/..`, 'A'.repeat(64), `${'0'.repeat(63)}g`, `/${'0'.repeat(63)}`, '']) {
      await expect(store.getBlob(hash)).rejects.toMatchObject({ code: 'E_HASH' });
      await expect(store.hasBlob(hash)).rejects.toMatchObject({ code: 'E_HASH' });
    }
  });

  it('the watch list refuses ids that are not safe file names, and ids derived from hostile URLs are', async () => {
    for (const id of ['../../etc', 'a/b', '..', 'con', 'x..y/../z']) {
      expect(() => parseConfigText(`sources:\n  - id: ${JSON.stringify(id)}\n    url: https://www.gov.example/s\n`, '/nonexistent/redline.yaml', {})).toThrow(ConfigError);
    }
    const urls = [
      'https://www.gov.example/../../../../etc/passwd',
      'https://www.gov.example/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      'https://www.gov.example/a%2F..%2F..%2Fb',
      'https://www.gov.example/..%5c..%5cwindows',
      'https://xn--80ak6aa92e.com/%D0%B7%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5',
      'https://[::1]:8080/./././',
      'https://www.gov.example/con',
      `https://www.gov.example/${'x'.repeat(500)}`,
    ];
    for (const url of urls) {
      const source = parseConfigText(`sources:\n  - url: ${JSON.stringify(url)}\n`, '/nonexistent/redline.yaml', {}).sources[0]!;
      await store.append(source.id, { ...check, url: source.url });
      expect(inside(path.join(root, 'sources'), path.join(root, 'sources', source.id)), source.id).toBe(true);
    }
    expect(await readdir(tmp)).toEqual(['archive']);
  });

  it('alert keys and sources with path syntax are stored under outbox/alerts by hash', async () => {
    const outbox = new Outbox({ archive: root, channels: [] });
    const keys = ['../../../../tmp/evil@v1', '/etc/passwd', '..\\..\\x', 'a\u0000b', '%2e%2e/%2e%2e'];
    for (const key of keys) {
      const alert: Alert = {
        key, event: 'changed', source: '../../etc', url: 'https://www.gov.example/s', tags: ['../x'],
        detectedAt: '2026-01-01T00:00:00.000Z', summary: 'x', links: {},
      };
      await outbox.enqueue(alert);
    }
    const files = await tree(path.join(root, 'outbox'));
    const alertFiles = files.filter((f) => f.endsWith('.json'));
    expect(alertFiles).toHaveLength(keys.length);
    for (const f of alertFiles) expect(f).toMatch(new RegExp(`^alerts\\${path.sep}[0-9a-f]{2}\\${path.sep}[0-9a-f]{64}\\.json$`));
    expect(await readdir(tmp)).toEqual(['archive']);
  });
});
