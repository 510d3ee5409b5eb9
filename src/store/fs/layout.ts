import path from 'node:path';

/** Where everything lives inside an archive root. All paths are built here and nowhere else. */

export const FORMAT_FILE = 'FORMAT';
export const FORMAT_LINE = 'redline-archive 1';
export const LOCK_FILE = 'LOCK';
export const HEADS_FILE = 'heads.json';
export const HEADS_SIG_FILE = 'heads.sig';
export const HEADS_FORMAT = 'redline-heads 1';
export const OBJECTS_DIR = 'objects/sha256';
export const SOURCES_DIR = 'sources';
export const LOG_FILE = 'log.jsonl';
/** Per-source check state derived from the log: a cache for fresh processes, not evidence. */
export const STATE_FILE = 'state.json';
/** Prefix of temp files written before an atomic rename; a crash can leave them behind. */
export const TEMP_PREFIX = '.tmp-';

export const SOURCE_ID_RE = /^[a-z0-9][a-z0-9._-]{0,79}$/;
export const HASH_RE = /^[0-9a-f]{64}$/;

export type StoreErrorCode =
  | 'E_SOURCE_ID'
  | 'E_HASH'
  | 'E_INPUT'
  | 'E_NOT_FOUND'
  | 'E_INTEGRITY'
  | 'E_CORRUPT'
  | 'E_FORMAT'
  | 'E_LOCKED'
  | 'E_READONLY'
  | 'E_CLOSED'
  | 'E_IO';

/** Every error the store throws on purpose carries a code callers can branch on. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/**
 * The id becomes a folder name, so it is checked before any path is built: lowercase
 * letters, digits, '.', '_' and '-', starting with a letter or digit, at most 80 chars.
 * '.' and '..' cannot pass (they start with '.'), nor can '/', '\\', NUL or uppercase
 * (which would collide on case-insensitive file systems).
 */
export function checkSourceId(id: unknown): string {
  if (typeof id !== 'string' || !SOURCE_ID_RE.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 100)) : String(typeof id);
    throw new StoreError(
      'E_SOURCE_ID',
      `invalid source id ${shown}: ids must match ${SOURCE_ID_RE} (lowercase letters, digits, '.', '_', '-'; first char a letter or digit; 1-80 chars). Rename the source in the watch list.`,
    );
  }
  return id;
}

export function checkHash(hash: unknown, what = 'blob hash'): string {
  if (typeof hash !== 'string' || !HASH_RE.test(hash)) {
    const shown = typeof hash === 'string' ? JSON.stringify(hash.slice(0, 100)) : String(typeof hash);
    throw new StoreError('E_HASH', `invalid ${what} ${shown}: expected 64 lowercase hex chars (sha256)`);
  }
  return hash;
}

/** Archive-relative paths (forward slashes, as printed in messages and FORMAT.md). */
export const rel = {
  blob: (hash: string): string => `${OBJECTS_DIR}/${hash.slice(0, 2)}/${hash.slice(2)}`,
  blobDir: (hash: string): string => `${OBJECTS_DIR}/${hash.slice(0, 2)}`,
  sourceDir: (id: string): string => `${SOURCES_DIR}/${id}`,
  log: (id: string): string => `${SOURCES_DIR}/${id}/${LOG_FILE}`,
  state: (id: string): string => `${SOURCES_DIR}/${id}/${STATE_FILE}`,
};

/** Absolute path of an archive-relative path. */
export function abs(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}
