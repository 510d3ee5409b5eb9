import { canonicalJson, sha256Hex } from '../canonical.js';
import type { CheckEntry, CheckInput, VersionInfo } from '../types.js';
import { HASH_RE, StoreError } from './layout.js';

/** Log entries: checking what callers hand in, hashing, and reading lines back. */

const OUTCOMES = new Set(['new', 'changed', 'unchanged', 'failed']);
/** Fixed-width UTC so that times in a log compare correctly as strings. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const STORE_FIELDS = ['source', 'seq', 'prev', 'hash'] as const;

export function isVersionOutcome(outcome: string): boolean {
  return outcome === 'new' || outcome === 'changed';
}

/**
 * Reject input that would put something unreadable or misleading in the permanent log.
 * `nextVersion` is the version number a new/changed check must carry (filled in when absent).
 */
export function checkInput(source: string, input: CheckInput, nextVersion: number | undefined): CheckInput {
  const bad = (msg: string): never => {
    throw new StoreError('E_INPUT', `append to source "${source}" refused: ${msg}`);
  };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) bad('the check must be an object');
  if (typeof input.time !== 'string' || !ISO_UTC.test(input.time) || Number.isNaN(Date.parse(input.time))) {
    bad(`time ${JSON.stringify(input.time)} is not an ISO 8601 UTC time such as new Date().toISOString() gives`);
  }
  if (typeof input.url !== 'string' || input.url.length === 0) bad('url must be a non-empty string');
  if (!OUTCOMES.has(input.outcome)) bad(`outcome ${JSON.stringify(input.outcome)} is not one of new, changed, unchanged, failed`);
  for (const field of ['rawHash', 'textHash'] as const) {
    const value = input[field];
    if (value !== undefined && (typeof value !== 'string' || !HASH_RE.test(value))) {
      bad(`${field} ${JSON.stringify(value)} is not a sha256 hex string (use the hash putBlob returned)`);
    }
  }
  for (const field of ['finalUrl', 'etag', 'lastModified', 'contentType'] as const) {
    const value = input[field];
    if (value !== undefined && typeof value !== 'string') bad(`${field} must be a string`);
  }
  if (input.status !== undefined && !Number.isSafeInteger(input.status)) bad(`status ${String(input.status)} is not an integer`);
  if (input.version !== undefined && !(Number.isSafeInteger(input.version) && input.version >= 1)) {
    bad(`version ${String(input.version)} is not a positive integer`);
  }
  if (input.error !== undefined) {
    const e = input.error as unknown as Record<string, unknown>;
    if (e === null || typeof e !== 'object' || typeof e.code !== 'string' || typeof e.message !== 'string') {
      bad('error must be { code: string, message: string }');
    }
  }
  if (input.repairs !== undefined && !(Array.isArray(input.repairs) && input.repairs.every((r) => typeof r === 'string'))) {
    bad('repairs must be an array of strings');
  }
  if (input.meta !== undefined && (input.meta === null || typeof input.meta !== 'object' || Array.isArray(input.meta))) {
    bad('meta must be a plain object');
  }
  const out: CheckInput = { ...input };
  if (isVersionOutcome(input.outcome)) {
    if (input.textHash === undefined) bad(`outcome "${input.outcome}" records a version, so it needs textHash`);
    if (nextVersion !== undefined) {
      if (input.version === undefined) out.version = nextVersion;
      else if (input.version !== nextVersion) {
        bad(`outcome "${input.outcome}" says version ${input.version}, but the next version of this source is ${nextVersion}`);
      }
    }
  }
  return out;
}

/** Build the entry the store writes: caller fields plus source, seq, prev, hash. */
export function makeEntry(source: string, input: CheckInput, head: Pick<CheckEntry, 'seq' | 'hash'> | undefined): { entry: CheckEntry; line: Buffer } {
  const body: Record<string, unknown> = { ...input };
  for (const field of STORE_FIELDS) delete body[field];
  body.source = source;
  body.seq = head ? head.seq + 1 : 1;
  body.prev = head ? head.hash : '';
  let canonical: string;
  try {
    canonical = canonicalJson(body);
  } catch (err) {
    throw new StoreError('E_INPUT', `append to source "${source}" refused: ${(err as Error).message}`);
  }
  body.hash = sha256Hex(canonical);
  const text = canonicalJson(body);
  // Parse what will be on disk, so the caller holds exactly what a later read returns.
  const entry = JSON.parse(text) as CheckEntry;
  return { entry, line: Buffer.from(text + '\n', 'utf8') };
}

export type ParsedLine = { ok: true; entry: CheckEntry } | { ok: false; reason: string };

/**
 * Read one log line (without its newline) and check it on its own: valid JSON object,
 * byte-identical to its canonical form, `hash` matching the rest. Links between lines are
 * the caller's business.
 */
export function parseLine(bytes: Buffer): ParsedLine {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const obj = value as Record<string, unknown>;
  let canonical: string;
  try {
    canonical = canonicalJson(obj);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (!Buffer.from(canonical, 'utf8').equals(bytes)) {
    return { ok: false, reason: 'bytes differ from the canonical JSON of the same data (edited by hand, or not written by Redline)' };
  }
  const { hash, ...rest } = obj;
  if (typeof hash !== 'string') return { ok: false, reason: 'has no "hash" field' };
  const actual = sha256Hex(canonicalJson(rest));
  if (actual !== hash) return { ok: false, reason: `content hashes to ${actual} but the line says hash ${hash} (the line was altered)` };
  if (!Number.isSafeInteger(obj.seq) || typeof obj.prev !== 'string' || typeof obj.source !== 'string') {
    return { ok: false, reason: 'missing seq, prev or source' };
  }
  return { ok: true, entry: obj as unknown as CheckEntry };
}

/** Fold one entry into a version list (in log order). */
export function applyVersion(versions: VersionInfo[], e: CheckEntry): void {
  if (isVersionOutcome(e.outcome)) {
    if (e.textHash === undefined) return;
    const v: VersionInfo = {
      source: e.source,
      version: e.version ?? versions.length + 1,
      time: e.time,
      lastSeen: e.time,
      textHash: e.textHash,
      seq: e.seq,
    };
    if (e.rawHash !== undefined) v.rawHash = e.rawHash;
    versions.push(v);
    return;
  }
  if (e.outcome !== 'unchanged' || versions.length === 0) return;
  const target = confirmedVersion(versions, e);
  if (target) target.lastSeen = e.time;
}

/**
 * Which version an unchanged check confirms: the latest with its textHash; without a
 * textHash (a 304 answer carries no body) the version it names, else the latest.
 */
function confirmedVersion(versions: VersionInfo[], e: CheckEntry): VersionInfo | undefined {
  if (e.textHash !== undefined) {
    if (e.version !== undefined) {
      const named = versions[e.version - 1];
      if (named && named.version === e.version && named.textHash === e.textHash) return named;
    }
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i].textHash === e.textHash) return versions[i];
    return undefined;
  }
  if (e.version !== undefined) return versions.find((v) => v.version === e.version);
  return versions[versions.length - 1];
}

export function deriveVersions(entries: readonly CheckEntry[]): VersionInfo[] {
  const versions: VersionInfo[] = [];
  for (const e of entries) applyVersion(versions, e);
  return versions;
}
