/** Durations ("500ms", "10s", "2m", "1h", or a number of ms) and sizes ("20MB", "512KB", or bytes). */

import { describeValue } from './errors.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Node's timers overflow above this and fire at once, so a longer "timeout" would be no timeout. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i;
const DURATION_HELP = 'use e.g. "500ms", "10s", "2m", "1h" or a number of milliseconds';

export function parseDuration(v: unknown, { allowZero = false } = {}): Parsed<number> {
  let ms: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return { ok: false, message: `is not a duration: ${DURATION_HELP}` };
    ms = v;
  } else if (typeof v === 'string') {
    const m = DURATION_RE.exec(v.trim());
    if (!m) return { ok: false, message: `is not a duration: ${DURATION_HELP}` };
    ms = Number(m[1]) * DURATION_UNITS[(m[2] ?? 'ms').toLowerCase()];
  } else {
    return { ok: false, message: `expected a duration, found ${describeValue(v)}: ${DURATION_HELP}` };
  }
  ms = Math.round(ms);
  if (ms === 0 && !allowZero) return { ok: false, message: 'must be longer than zero' };
  if (ms > MAX_DURATION_MS) return { ok: false, message: 'is too long (at most about 24 days, 2147483647ms)' };
  return { ok: true, value: ms };
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i;
const SIZE_HELP = 'use e.g. "512KB", "20MB" or a number of bytes (1KB = 1024 bytes)';
/** Bodies are held in memory while extracted; anything larger is a mistake or an attack. */
export const MAX_SIZE_BYTES = 1024 ** 3;

export function parseSize(v: unknown): Parsed<number> {
  let bytes: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return { ok: false, message: `is not a size: ${SIZE_HELP}` };
    bytes = v;
  } else if (typeof v === 'string') {
    const m = SIZE_RE.exec(v.trim());
    const unit = m ? SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] : undefined;
    if (!m || unit === undefined) return { ok: false, message: `is not a size: ${SIZE_HELP}` };
    bytes = Number(m[1]) * unit;
  } else {
    return { ok: false, message: `expected a size, found ${describeValue(v)}: ${SIZE_HELP}` };
  }
  bytes = Math.floor(bytes);
  if (bytes < 1) return { ok: false, message: 'must be at least 1 byte' };
  if (bytes > MAX_SIZE_BYTES) return { ok: false, message: 'is too large (at most 1GB: bodies are held in memory)' };
  return { ok: true, value: bytes };
}
