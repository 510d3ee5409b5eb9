/** A statement from outside the archive: a local file or a URL, extracted like a check would. */
import { readFile } from 'node:fs/promises';
import type { Extracted, ExtractInput } from '../extract/types.js';
import { extract } from '../extract/index.js';
import { Fetcher } from '../fetch/index.js';
import { DEFAULT_FETCH } from '../config/index.js';

export type ExtractOptions = Pick<ExtractInput, 'kind' | 'select' | 'remove'>;

export function isUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

export async function loadDocument(ref: string, opts: ExtractOptions = {}): Promise<Extracted & { source: string }> {
  if (!isUrl(ref)) {
    const body = await readFile(ref);
    return { ...(await extract({ body, url: ref, ...opts })), source: ref };
  }
  // Typed by the owner at their own prompt and never archived, so private addresses are theirs to read.
  const fetcher = Fetcher.forWatchList();
  try {
    const res = await fetcher.fetch({ url: ref, options: { ...DEFAULT_FETCH, retries: 0 } });
    if (!res.ok) throw new Error(`could not fetch ${ref}: ${res.message}`);
    return { ...(await extract({ body: res.body, contentType: res.contentType, url: res.finalUrl, ...opts })), source: res.finalUrl };
  } finally {
    await fetcher.close();
  }
}
