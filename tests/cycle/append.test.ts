/** The cycle benchmark's append shortcuts: no exclusive-create attempt on a known log, no stat for the head's own blobs. */
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsStore, type FsStore } from '../../src/store/index.js';
import { appendLineDurable } from '../../src/store/fs/durable.js';

let root: string;
let store: FsStore;
beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'redline-append-'));
  store = await openFsStore(root);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

const at = (n: number) => new Date(Date.UTC(2024, 0, 1, 0, n)).toISOString();
const url = 'https://www.gov.example/statement';

describe('appends', () => {
  it('still refuses a hash the head does not name and the archive lacks', async () => {
    const text = await store.putBlob(Buffer.from('wording'));
    await store.append('s1', { time: at(1), url, outcome: 'new', textHash: text });
    await expect(store.append('s1', { time: at(2), url, outcome: 'unchanged', textHash: 'a'.repeat(64), version: 1 })).rejects.toThrow(
      /textHash a{64} is not in the archive; putBlob the bytes first/,
    );
    const ok = await store.append('s1', { time: at(3), url, outcome: 'unchanged', textHash: text, version: 1 });
    expect(ok.seq).toBe(2);
  });

  it('recreates a known log that vanished instead of failing', async () => {
    const file = path.join(root, 'log.jsonl');
    expect((await appendLineDurable(file, Buffer.from('one\n'))).created).toBe(true);
    expect((await appendLineDurable(file, Buffer.from('two\n'), { exists: true })).created).toBe(false);
    unlinkSync(file);
    expect((await appendLineDurable(file, Buffer.from('three\n'), { exists: true })).created).toBe(true);
    expect(existsSync(file)).toBe(true);
  });
});
