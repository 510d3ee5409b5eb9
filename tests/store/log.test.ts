import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, openFsStore, sha256Hex, type CheckEntry, type FsStore } from '../../src/store/index.js';
import { check, listFiles, readLines, tempDir } from './helpers/archive.js';

describe('source logs', () => {
  let root: string;
  let cleanup: () => void;
  let store: FsStore;
  let t1: string;
  let t2: string;
  beforeEach(async () => {
    ({ dir: root, cleanup } = tempDir());
    store = await openFsStore(root);
    t1 = await store.putBlob(Buffer.from('Statement, first wording.'));
    t2 = await store.putBlob(Buffer.from('Statement, second wording.'));
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  const logFile = (id: string) => path.join(root, 'sources', id, 'log.jsonl');

  it('appends entries with seq, prev, hash and source assigned by the store', async () => {
    const a = await store.append('five-eyes-2020', check('new', { textHash: t1 }));
    const b = await store.append('five-eyes-2020', check('unchanged', { textHash: t1, version: 1 }));
    expect(a).toMatchObject({ source: 'five-eyes-2020', seq: 1, prev: '', version: 1 });
    expect(b).toMatchObject({ seq: 2, prev: a.hash });
    for (const e of [a, b]) {
      const { hash, ...rest } = e;
      expect(hash).toBe(sha256Hex(canonicalJson(rest)));
    }
    // The file holds exactly the canonical JSON of each returned entry, one per line.
    expect(readLines(logFile('five-eyes-2020'))).toEqual([canonicalJson(a), canonicalJson(b)]);
    expect(await store.log('five-eyes-2020')).toEqual([a, b]);
    expect(await store.head('five-eyes-2020')).toEqual(b);
    expect(await store.sources()).toEqual(['five-eyes-2020']);
  });

  it('overrides store-owned fields a caller passes in', async () => {
    const forged = { ...check('new', { textHash: t1 }), seq: 99, prev: 'x', hash: 'y', source: 'other' } as never;
    const e = await store.append('s', forged);
    expect(e).toMatchObject({ seq: 1, prev: '', source: 's' });
    expect(e.hash).not.toBe('y');
  });

  it('links every entry to the one before it', async () => {
    const entries: CheckEntry[] = [];
    entries.push(await store.append('s', check('new', { textHash: t1 })));
    for (let i = 0; i < 5; i++) entries.push(await store.append('s', check(i === 2 ? 'failed' : 'unchanged', i === 2 ? { error: { code: 'ETIMEDOUT', message: 'timeout' } } : { textHash: t1 })));
    entries.push(await store.append('s', check('changed', { textHash: t2 })));
    const log = await store.log('s');
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (let i = 1; i < log.length; i++) expect(log[i].prev).toBe(log[i - 1].hash);
    expect(new Set(log.map((e) => e.hash)).size).toBe(7);
  });

  it('numbers a new version after a reopen from the newest version entry, however far back, and reads the head back after appends', async () => {
    await store.append('s', check('new', { textHash: t1 }));
    for (let i = 0; i < 40; i++) await store.append('s', check(i % 7 === 3 ? 'failed' : 'unchanged', i % 7 === 3 ? { error: { code: 'http', message: '503' } } : { textHash: t1, version: 1 }));
    await store.close();
    store = await openFsStore(root);
    const v2 = await store.append('s', check('changed', { textHash: t2 }));
    expect(v2.version).toBe(2);
    // A caller that names the wrong number is still refused, without a full read of the log.
    await expect(store.append('s', check('changed', { textHash: t1, version: 2 }))).rejects.toThrow(/next version of this source is 3/);
    const v3 = await store.append('s', check('changed', { textHash: t1 }));
    expect(v3.version).toBe(3);
    const tail = await store.append('s', check('unchanged', { textHash: t1, version: 3 }));
    // The store keeps only the chain head between appends; head() reads the entry back from the file.
    expect(await store.head('s')).toEqual(tail);
    expect((await store.log('s')).at(-1)).toEqual(tail);
    expect((await store.versions('s')).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('release drops an idle source from memory; the next append continues the chain from the file', async () => {
    const a = await store.append('s', check('new', { textHash: t1 }));
    store.release('s');
    const b = await store.append('s', check('changed', { textHash: t2 }));
    expect(b).toMatchObject({ seq: 2, prev: a.hash, version: 2 });
    // Not while an append is in flight: the log object (and its queue) must stay the only one.
    const inFlight = store.append('s', check('unchanged', { textHash: t2, version: 2 }));
    store.release('s');
    const c = await store.append('s', check('unchanged', { textHash: t2, version: 2 }));
    expect((await inFlight).seq).toBe(3);
    expect(c).toMatchObject({ seq: 4, prev: (await store.head('s'))?.prev });
    expect((await store.log('s')).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('derives versions, with lastSeen from later unchanged checks of the same text', async () => {
    const n = await store.append('s', check('new', { textHash: t1 }));
    const u1 = await store.append('s', check('unchanged', { textHash: t1, version: 1 }));
    await store.append('s', check('failed', { error: { code: 'HTTP_503', message: 'Service Unavailable' } }));
    const u2 = await store.append('s', check('unchanged', { textHash: t1 }));
    const c = await store.append('s', check('changed', { textHash: t2 }));
    // A 304 answer carries no text: it confirms the latest version.
    const u3 = await store.append('s', check('unchanged', { status: 304 }));
    const versions = await store.versions('s');
    expect(versions).toEqual([
      { source: 's', version: 1, time: n.time, lastSeen: u2.time, textHash: t1, seq: 1 },
      { source: 's', version: 2, time: c.time, lastSeen: u3.time, textHash: t2, seq: 5 },
    ]);
    expect(u1.time < u2.time).toBe(true);
    expect(c.version).toBe(2);
  });

  it('keeps the version cache current on append', async () => {
    await store.append('s', check('new', { textHash: t1 }));
    expect((await store.versions('s')).map((v) => v.version)).toEqual([1]);
    const u = await store.append('s', check('unchanged', { textHash: t1 }));
    await store.append('s', check('changed', { textHash: t2, rawHash: t1 }));
    const v = await store.versions('s');
    expect(v.map((x) => [x.version, x.textHash, x.rawHash])).toEqual([
      [1, t1, undefined],
      [2, t2, t1],
    ]);
    expect(v[0].lastSeen).toBe(u.time);
  });

  it('hands out copies: changing a returned entry does not change the store', async () => {
    const e = await store.append('s', check('new', { textHash: t1, meta: { title: 'A' } }));
    (e.meta as Record<string, unknown>).title = 'changed by caller';
    const h = await store.head('s');
    expect(h?.meta).toEqual({ title: 'A' });
    h!.seq = 42;
    expect((await store.log('s'))[0].seq).toBe(1);
  });

  it('reads everything back after reopening, and continues the chain', async () => {
    const a = await store.append('s', check('new', { textHash: t1 }));
    const b = await store.append('s', check('unchanged', { textHash: t1 }));
    await store.close();
    store = await openFsStore(root);
    expect(await store.head('s')).toEqual(b);
    expect(await store.log('s')).toEqual([a, b]);
    expect((await store.versions('s'))[0].lastSeen).toBe(b.time);
    const c = await store.append('s', check('changed', { textHash: t2 }));
    expect(c).toMatchObject({ seq: 3, prev: b.hash, version: 2 });
    expect((await store.verify()).ok).toBe(true);
  });

  it('finds the head from the end of the file without reading the rest', async () => {
    await store.append('s', check('new', { textHash: t1 }));
    for (let i = 0; i < 20; i++) await store.append('s', check('unchanged', { textHash: t1 }));
    const head = await store.head('s');
    await store.close();
    // Damage the first line: head() still works (it never reads it), log() reports it.
    const lines = readLines(logFile('s'));
    lines[0] = lines[0].replace('"new"', '"NEW"');
    writeFileSync(logFile('s'), lines.map((l) => l + '\n').join(''));
    store = await openFsStore(root);
    expect(await store.head('s')).toEqual(head);
    await expect(store.log('s')).rejects.toMatchObject({ code: 'E_CORRUPT', message: expect.stringContaining('line 1') });
  });

  it('handles a long last line (longer than one read chunk)', async () => {
    const long = 'x'.repeat(50_000);
    await store.append('s', check('new', { textHash: t1 }));
    const e = await store.append('s', check('unchanged', { textHash: t1, meta: { long } }));
    await store.close();
    store = await openFsStore(root);
    expect(await store.head('s')).toEqual(e);
  });

  it('repairs a torn last line on first touch, keeping the torn bytes aside', async () => {
    const a = await store.append('s', check('new', { textHash: t1 }));
    const b = await store.append('s', check('unchanged', { textHash: t1 }));
    await store.close();
    const intact = readFileSync(logFile('s'));
    const half = canonicalJson({ ...b, seq: 3, time: '2030-01-01T00:00:00.000Z' }).slice(0, 70);
    appendFileSync(logFile('s'), half);
    store = await openFsStore(root);
    expect(await store.head('s')).toEqual(b);
    const repairs = store.repairs();
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatchObject({ source: 's', file: 'sources/s/log.jsonl', offset: intact.length, bytes: 70, reason: 'no trailing newline' });
    expect(readFileSync(path.join(root, repairs[0].keptIn), 'utf8')).toBe(half);
    expect(readFileSync(logFile('s')).equals(intact)).toBe(true);
    const c = await store.append('s', check('unchanged', { textHash: t1 }));
    expect(c).toMatchObject({ seq: 3, prev: b.hash });
    expect(await store.log('s')).toEqual([a, b, c]);
    const report = await store.verify();
    expect(report.ok).toBe(true);
    expect(report.notes?.map((n) => n.message).join('\n')).toMatch(/repaired on open: cut 70 bytes/);
  });

  it('repairs a complete but unparsable last line, and not one in the middle', async () => {
    await store.append('s', check('new', { textHash: t1 }));
    const b = await store.append('s', check('unchanged', { textHash: t1 }));
    await store.close();
    appendFileSync(logFile('s'), '{"hash":"00\u0000\u0000\n');
    store = await openFsStore(root);
    expect(await store.head('s')).toEqual(b);
    expect(store.repairs()[0]).toMatchObject({ reason: 'unparsable last line', bytes: 14 });
    await store.close();
    // The same bad bytes in the middle are damage, reported by verify, never cut.
    const lines = readLines(logFile('s'));
    writeFileSync(logFile('s'), [lines[0], '{"hash":"00', lines[1]].map((l) => l + '\n').join(''));
    store = await openFsStore(root);
    expect(store.repairs()).toEqual([]);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ where: 'sources/s/log.jsonl line 2', message: expect.stringMatching(/not valid JSON/) });
    expect(readLines(logFile('s'))).toHaveLength(3);
  });

  it('refuses to append after a damaged last entry', async () => {
    await store.append('s', check('new', { textHash: t1 }));
    await store.close();
    const [line] = readLines(logFile('s'));
    writeFileSync(logFile('s'), line.replace('"new"', '"changed"') + '\n');
    store = await openFsStore(root);
    await expect(store.append('s', check('unchanged', { textHash: t1 }))).rejects.toMatchObject({
      code: 'E_CORRUPT',
      message: expect.stringMatching(/sources.s.log\.jsonl.*altered/),
    });
  });

  it.each([
    ['a time that is not ISO UTC', { time: '2024-01-01 10:00' }, /time/],
    ['an unknown outcome', { outcome: 'gone' }, /outcome "gone"/],
    ['a changed check without textHash', { outcome: 'changed', textHash: undefined }, /needs textHash/],
    ['a wrong version number', { outcome: 'changed', version: 5 }, /version 5, but the next version of this source is 2/],
    ['a blob that was never stored', { textHash: 'f'.repeat(64) }, /textHash f+ is not in the archive; putBlob/],
    ['a malformed hash', { rawHash: 'abc' }, /rawHash "abc" is not a sha256/],
    ['NaN in meta', { meta: { score: NaN } }, /\$\.meta\.score is NaN/],
    ['an error without message', { outcome: 'failed', error: { code: 'X' } }, /error must be/],
  ])('refuses %s, naming the source', async (_name, patch, message) => {
    await store.append('src-1', check('new', { textHash: t1 }));
    const input = { ...check('changed', { textHash: t2 }), ...patch } as never;
    await expect(store.append('src-1', input)).rejects.toMatchObject({ code: 'E_INPUT', message: expect.stringMatching(message) });
    expect(await store.log('src-1')).toHaveLength(1);
  });

  it('returns nothing for a source never checked', async () => {
    expect(await store.head('never')).toBeUndefined();
    expect(await store.log('never')).toEqual([]);
    expect(await store.versions('never')).toEqual([]);
    expect(existsSync(path.join(root, 'sources', 'never'))).toBe(false);
  });
});

describe('archive root', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir: root, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('writes FORMAT on first open and refuses an unknown format version', async () => {
    const store = await openFsStore(root);
    expect(readFileSync(path.join(root, 'FORMAT'), 'utf8')).toBe('redline-archive 1\n');
    await store.close();
    writeFileSync(path.join(root, 'FORMAT'), 'redline-archive 2\n');
    await expect(openFsStore(root)).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringContaining('redline-archive 2') });
    await expect(openFsStore(root, { readOnly: true })).rejects.toMatchObject({ code: 'E_FORMAT' });
  });

  it('refuses to read a folder that is not an archive, or to turn a non-empty folder into one', async () => {
    await expect(openFsStore(path.join(root, 'nothing-here'), { readOnly: true })).rejects.toMatchObject({ code: 'E_FORMAT' });
    writeFileSync(path.join(root, 'notes.txt'), 'mine');
    await expect(openFsStore(root)).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringContaining('notes.txt') });
    expect(existsSync(path.join(root, 'FORMAT'))).toBe(false);
  });

  it('creates a missing root, and a read-only store cannot write', async () => {
    const nested = path.join(root, 'a', 'b');
    const w = await openFsStore(nested);
    const t = await w.putBlob(Buffer.from('x'));
    await w.append('s', check('new', { textHash: t }));
    const r = await openFsStore(nested, { readOnly: true });
    await expect(r.append('s', check('unchanged', { textHash: t }))).rejects.toMatchObject({ code: 'E_READONLY' });
    await expect(r.putBlob(Buffer.from('y'))).rejects.toMatchObject({ code: 'E_READONLY' });
    expect((await r.log('s')).length).toBe(1);
    await w.close();
    await expect(w.head('s')).rejects.toMatchObject({ code: 'E_CLOSED' });
  });

  it('lets a reader follow a writer that keeps appending', async () => {
    const w = await openFsStore(root);
    const t = await w.putBlob(Buffer.from('x'));
    await w.append('s', check('new', { textHash: t }));
    const r = await openFsStore(root, { readOnly: true });
    expect(await r.log('s')).toHaveLength(1);
    const e = await w.append('s', check('unchanged', { textHash: t }));
    expect(await r.head('s')).toEqual(e);
    expect(await r.log('s')).toHaveLength(2);
    expect((await r.versions('s'))[0].lastSeen).toBe(e.time);
    // A half-written line from the writer is not visible to the reader.
    appendFileSync(path.join(root, 'sources/s/log.jsonl'), '{"hash":');
    expect(await r.head('s')).toEqual(e);
    expect(await r.log('s')).toHaveLength(2);
    const report = await r.verify();
    expect(report.problems).toEqual([{ where: 'sources/s/log.jsonl line 3', message: expect.stringMatching(/last line is torn \(8 bytes/) }]);
    await w.close();
  });

  it('keeps every path inside the archive, whatever the source id', async () => {
    const store = await openFsStore(path.join(root, 'archive'));
    const t = await store.putBlob(Buffer.from('x'));
    const attempts = ['../escape', '..', '.', 'a/b', 'a\\b', '/etc', 'Upper', '', ' x', 'x\u0000y', '.hidden', '-x', 'a'.repeat(81), 'é', '%2e%2e'];
    for (const id of attempts) {
      await expect(store.append(id, check('new', { textHash: t }))).rejects.toMatchObject({ code: 'E_SOURCE_ID' });
      await expect(store.log(id)).rejects.toMatchObject({ code: 'E_SOURCE_ID' });
      await expect(store.head(id)).rejects.toMatchObject({ code: 'E_SOURCE_ID' });
      await expect(store.versions(id)).rejects.toMatchObject({ code: 'E_SOURCE_ID' });
    }
    await expect(store.append(undefined as never, check('new', { textHash: t }))).rejects.toMatchObject({ code: 'E_SOURCE_ID' });
    await expect(store.append('a'.repeat(80), check('new', { textHash: t }))).resolves.toMatchObject({ seq: 1 });
    await store.close();
    expect(listFiles(root).every((f) => f.startsWith('archive/'))).toBe(true);
    expect(listFiles(root).filter((f) => f.includes('/sources/'))).toEqual([`archive/sources/${'a'.repeat(80)}/log.jsonl`]);
  });
});
