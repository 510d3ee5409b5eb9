/** A temporary file archive with versions written through the real Store interface. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFsStore, type FsStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

export async function tempStore(): Promise<{ store: FsStore; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-analyze-'));
  const store = await openFsStore(dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Time of version `n` of the synthetic histories: one hour apart from 1 January 2020. */
export const timeOf = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 3_600_000).toISOString();

/** Append one version per text (each a changed check), plus an unchanged re-check after the last. */
export async function writeVersions(store: Store, source: string, texts: string[]): Promise<void> {
  for (let i = 0; i < texts.length; i++) {
    const textHash = await store.putBlob(Buffer.from(texts[i], 'utf8'));
    await store.append(source, { time: timeOf(i + 1), url: `https://statements.test/${source}`, status: 200, outcome: i === 0 ? 'new' : 'changed', textHash, version: i + 1 });
  }
  const head = await store.head(source);
  await store.append(source, { time: timeOf(texts.length + 1), url: `https://statements.test/${source}`, status: 200, outcome: 'unchanged', textHash: head!.textHash, version: texts.length });
}

/** A Store wrapper counting blob reads, to show what work the index does and when. */
export function countingStore(inner: Store): Store & { blobReads: number } {
  const counting = Object.create(inner) as Store & { blobReads: number };
  counting.blobReads = 0;
  counting.getBlob = async (hash: string) => {
    counting.blobReads++;
    return inner.getBlob(hash);
  };
  return counting;
}
