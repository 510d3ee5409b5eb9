import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsStore, sha256Hex, type FsStore } from '../../src/store/index.js';
import { blobFiles, overwrite, tempDir } from './helpers/archive.js';

const FIXTURE = path.resolve(__dirname, '../fixtures/statements/2019-10-04_open-letter-facebook_privacy-first.pdf');

describe('blobs', () => {
  let root: string;
  let cleanup: () => void;
  let store: FsStore;
  beforeEach(async () => {
    ({ dir: root, cleanup } = tempDir());
    store = await openFsStore(root);
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('stores bytes under the sha256 of the uncompressed content and gives them back', async () => {
    const data = readFileSync(FIXTURE);
    const hash = await store.putBlob(data);
    expect(hash).toBe(sha256Hex(data));
    expect(blobFiles(root)).toEqual([`objects/sha256/${hash.slice(0, 2)}/${hash.slice(2)}`]);
    expect((await store.getBlob(hash)).equals(data)).toBe(true);
    expect(await store.hasBlob(hash)).toBe(true);
    expect(await store.hasBlob('0'.repeat(64))).toBe(false);
  });

  it('can be checked by a third party with gzip -dc FILE | sha256sum', async () => {
    const hash = await store.putBlob(Buffer.from('We call on Facebook not to proceed with end-to-end encryption…\n'));
    const file = path.join(root, 'objects/sha256', hash.slice(0, 2), hash.slice(2));
    const out = execFileSync('sh', ['-c', 'gzip -dc "$1" | sha256sum', 'sh', file]).toString();
    expect(out.slice(0, 64)).toBe(hash);
  });

  it('keeps one file for the same bytes and does not rewrite it', async () => {
    const data = Buffer.from('same text');
    const a = await store.putBlob(data);
    const file = path.join(root, 'objects/sha256', a.slice(0, 2), a.slice(2));
    // Replace the file with a different (unheadered, level 1) gzip of the same bytes: if a
    // second put rewrote the file, these bytes would be gone.
    const marker = gzipSync(data, { level: 1 });
    overwrite(file, marker);
    const b = await store.putBlob(Buffer.from('same text'));
    expect(b).toBe(a);
    expect(readFileSync(file).equals(marker)).toBe(true);
    expect(blobFiles(root)).toHaveLength(1);
    const [c, d] = await Promise.all([store.putBlob(Buffer.from('other')), store.putBlob(Buffer.from('other'))]);
    expect(c).toBe(d);
    expect(blobFiles(root)).toHaveLength(2);
  });

  it('stores the empty blob', async () => {
    const hash = await store.putBlob(Buffer.alloc(0));
    expect(hash).toBe(sha256Hex(''));
    expect((await store.getBlob(hash)).length).toBe(0);
  });

  it('refuses to hand out a blob whose content no longer matches its name', async () => {
    const hash = await store.putBlob(Buffer.from('original wording'));
    const other = await store.putBlob(Buffer.from('altered wording'));
    const file = (h: string) => path.join(root, 'objects/sha256', h.slice(0, 2), h.slice(2));
    overwrite(file(hash), readFileSync(file(other)));
    await expect(store.getBlob(hash)).rejects.toMatchObject({ code: 'E_INTEGRITY', message: expect.stringContaining(hash) });
    overwrite(file(hash), 'not gzip');
    await expect(store.getBlob(hash)).rejects.toMatchObject({ code: 'E_INTEGRITY', message: expect.stringMatching(/not valid gzip/) });
  });

  it('reports a missing blob and a malformed hash clearly', async () => {
    await expect(store.getBlob('a'.repeat(64))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(store.getBlob('../../etc/passwd')).rejects.toMatchObject({ code: 'E_HASH' });
    await expect(store.hasBlob('A'.repeat(64))).rejects.toMatchObject({ code: 'E_HASH' });
  });

  it('leaves no temp files behind', async () => {
    for (let i = 0; i < 5; i++) await store.putBlob(Buffer.from(`blob ${i}`));
    expect(blobFiles(root).filter((f) => path.basename(f).startsWith('.tmp-'))).toEqual([]);
  });
});

describe('gzip container', () => {
  it('computes CRC-32 without zlib.crc32 (older Node 20) exactly as gzip does', async () => {
    const { crc32Portable } = await import('../../src/store/fs/gzip.js');
    const { randomBytes } = await import('node:crypto');
    for (const data of [Buffer.alloc(0), Buffer.from('123456789'), randomBytes(70_000)]) {
      const gz = gzipSync(data);
      expect(crc32Portable(data)).toBe(gz.readUInt32LE(gz.length - 8));
    }
    expect(crc32Portable(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('decodes strictly what it encodes, for empty, text and incompressible data', async () => {
    const { encodeBlob, decodeBlobStrict } = await import('../../src/store/fs/gzip.js');
    const { randomBytes } = await import('node:crypto');
    for (const data of [Buffer.alloc(0), Buffer.from('a'.repeat(100_000)), randomBytes(200_000)]) {
      const decoded = decodeBlobStrict(encodeBlob(data));
      expect(decoded.ok && decoded.data.equals(data)).toBe(true);
    }
  });
});
