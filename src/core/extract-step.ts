/**
 * Turns a fetched body into the statement text, or into a failed check when
 * what came back is not the statement (a bot wall, a soft 404, an empty or
 * unreadable body): those must never become versions.
 */
import type { SourceConfig } from '../config/types.js';
import type { FetchSuccess } from '../fetch/types.js';
import type { Extracted } from '../extract/types.js';
import { extract, detectBlockPage, ExtractError } from '../extract/index.js';

export type ExtractStep =
  | { ok: true; extracted: Extracted }
  | { ok: false; failure: { url: string; finalUrl: string; status: number; code: string; message: string } };

export async function extractForCheck(source: SourceConfig, f: FetchSuccess): Promise<ExtractStep> {
  const fail = (code: string, message: string): ExtractStep => ({
    ok: false, failure: { url: f.url, finalUrl: f.finalUrl, status: f.status, code, message },
  });
  if (f.body.length === 0) return fail('empty', `${f.finalUrl} answered ${f.status} with an empty body`);
  let extracted: Extracted;
  try {
    extracted = await extract({
      body: f.body, contentType: f.contentType, url: f.finalUrl, kind: source.kind,
      select: source.select, remove: source.remove,
    });
  } catch (err) {
    if (err instanceof ExtractError) return fail('extract', `${source.id}: ${err.message}`);
    throw err;
  }
  const block = detectBlockPage(extracted, { status: f.status, headers: f.headers, finalUrl: f.finalUrl });
  if (block.blocked) return fail(block.kind === 'soft-404' ? 'soft-404' : 'blocked', `${f.finalUrl}: ${block.reason}`);
  if (extracted.text.trim() === '') return fail('empty', `${f.finalUrl}: no statement text found (method ${extracted.method})`);
  return { ok: true, extracted };
}
