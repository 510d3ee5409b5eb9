import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../canonical.js';
import { mkdirDurable, writeFileAtomic } from './durable.js';
import { decodeBlob, encodeBlob } from './gzip.js';
import { abs, checkHash, rel, StoreError } from './layout.js';

/** Content-addressed blobs: objects/sha256/<2 hex>/<62 hex>, gzip of the bytes hashed. */
export class BlobFiles {
  /** Fan-out folders known to exist, so a put does not mkdir every time. */
  private readonly knownDirs = new Set<string>();

  constructor(private readonly root: string) {}

  async put(data: Uint8Array): Promise<string> {
    const hash = sha256Hex(data);
    const file = abs(this.root, rel.blob(hash));
    if (await exists(file)) return hash;
    const dir = path.dirname(file);
    if (!this.knownDirs.has(dir)) {
      await mkdirDurable(dir);
      this.knownDirs.add(dir);
    }
    try {
      // Two writers racing on the same content rename identical bytes over each other: harmless.
      await writeFileAtomic(file, encodeBlob(data), 0o444);
    } catch (err) {
      throw new StoreError('E_IO', `could not write blob ${rel.blob(hash)} under ${this.root}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return hash;
  }

  /** The original bytes, checked against their name: a damaged blob is never handed out. */
  async get(hash: string): Promise<Buffer> {
    checkHash(hash);
    const where = rel.blob(hash);
    let file: Buffer;
    try {
      file = await fsp.readFile(abs(this.root, where));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StoreError('E_NOT_FOUND', `blob ${hash} is not in the archive (${path.join(this.root, where)} does not exist)`);
      }
      throw err;
    }
    let data: Buffer;
    try {
      data = decodeBlob(file);
    } catch (err) {
      throw new StoreError(
        'E_INTEGRITY',
        `blob ${where} under ${this.root} is not valid gzip (${(err as Error).message}); the file is damaged: run verify and restore it from a backup`,
      );
    }
    const actual = sha256Hex(data);
    if (actual !== hash) {
      throw new StoreError(
        'E_INTEGRITY',
        `blob ${where} under ${this.root} decompresses to content with sha256 ${actual}, not ${hash}: the file was altered; run verify and restore it from a backup`,
      );
    }
    return data;
  }

  async has(hash: string): Promise<boolean> {
    checkHash(hash);
    return exists(abs(this.root, rel.blob(hash)));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.stat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
