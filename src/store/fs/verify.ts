import { promises as fsp } from 'node:fs';
import { sha256Hex } from '../canonical.js';
import type { RepairNote, VerifyProblem, VerifyReport } from '../types.js';
import { isVersionOutcome, parseLine } from './entries.js';
import { decodeBlobStrict } from './gzip.js';
import { abs, FORMAT_FILE, FORMAT_LINE, HASH_RE, LOG_FILE, OBJECTS_DIR, STATE_FILE, SOURCE_ID_RE, SOURCES_DIR, TEMP_PREFIX, rel } from './layout.js';
import { checkHeads } from './signing.js';
import { splitLines } from './tail.js';

export interface VerifyContext {
  root: string;
  publicKeyPem?: string;
  /** Repairs done since the archive was opened: reported as notes. */
  repairs: readonly RepairNote[];
  /** Read a source's log bytes while no append to it is in flight. */
  readLog(source: string): Promise<Buffer | undefined>;
}

/**
 * Check everything: every blob against its name, every log line against its hash and its
 * predecessor, every reference, and the signed heads. Collects all problems (with file and
 * line) instead of stopping, so one report shows the whole damage; `summary` names the first.
 * Problem order: FORMAT, logs (by source, by line), heads, blobs.
 */
export async function verifyArchive(ctx: VerifyContext): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const notes: VerifyProblem[] = ctx.repairs.map((r) => ({
    where: r.file,
    message: `repaired on open: cut ${r.bytes} bytes at offset ${r.offset} (${r.reason}), kept in ${r.keptIn}`,
  }));

  const format = await fsp.readFile(abs(ctx.root, FORMAT_FILE), 'utf8').catch(() => undefined);
  if (format === undefined) problems.push({ where: FORMAT_FILE, message: 'missing: this does not look like a Redline archive root' });
  else if (format !== FORMAT_LINE + '\n') problems.push({ where: FORMAT_FILE, message: `content is ${JSON.stringify(format.slice(0, 60))}, expected "${FORMAT_LINE}\\n"` });

  const blobs = await checkBlobs(ctx.root, notes);
  const logs = await checkLogs(ctx, blobs.present, notes);
  const heads = await checkHeads({ root: ctx.root, publicKeyPem: ctx.publicKeyPem, lineHashes: logs.lineHashes });
  problems.push(...logs.problems, ...heads.problems, ...blobs.problems);
  notes.push(...heads.notes);

  const orphans = [...blobs.present].filter((h) => !logs.referenced.has(h));
  if (orphans.length > 0) {
    notes.push({
      where: OBJECTS_DIR,
      message: `${orphans.length} blob(s) referenced by no log entry (a put before a crash, another component's blob, or log entries removed), e.g. ${rel.blob(orphans[0])}`,
    });
  }

  const ok = problems.length === 0;
  const counts = `${logs.sources} sources, ${logs.entries} entries, ${blobs.present.size} blobs`;
  const summary = ok
    ? `archive OK: ${counts}`
    : `archive DAMAGED: ${problems.length} problem(s) in ${counts}; first: ${problems[0].where}: ${problems[0].message}`;
  return { ok, sources: logs.sources, entries: logs.entries, blobs: blobs.present.size, problems, summary, notes };
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function checkBlobs(root: string, notes: VerifyProblem[]): Promise<{ present: Set<string>; problems: VerifyProblem[] }> {
  const present = new Set<string>();
  const problems: VerifyProblem[] = [];
  for (const fan of await listDir(abs(root, OBJECTS_DIR))) {
    const fanWhere = `${OBJECTS_DIR}/${fan.name}`;
    if (!fan.isDirectory() || !/^[0-9a-f]{2}$/.test(fan.name)) {
      problems.push({ where: fanWhere, message: 'unexpected entry: only two-hex-digit folders belong here' });
      continue;
    }
    for (const file of await listDir(abs(root, fanWhere))) {
      const where = `${fanWhere}/${file.name}`;
      if (file.name.startsWith(TEMP_PREFIX)) {
        notes.push({ where, message: 'leftover temp file from an interrupted write; safe to delete' });
        continue;
      }
      const hash = fan.name + file.name;
      if (!file.isFile() || !HASH_RE.test(hash)) {
        problems.push({ where, message: 'unexpected entry: not a blob name (62 hex digits)' });
        continue;
      }
      present.add(hash);
      const decoded = decodeBlobStrict(await fsp.readFile(abs(root, where)));
      if (!decoded.ok) {
        problems.push({ where, message: `damaged blob: ${decoded.reason}` });
        continue;
      }
      const actual = sha256Hex(decoded.data);
      if (actual !== hash) problems.push({ where, message: `content hashes to ${actual}, not to its name (the file was altered or replaced)` });
    }
  }
  return { present, problems };
}

interface LogsResult {
  sources: number;
  entries: number;
  problems: VerifyProblem[];
  referenced: Set<string>;
  lineHashes: Map<string, (string | undefined)[]>;
}

async function checkLogs(ctx: VerifyContext, blobs: Set<string>, notes: VerifyProblem[]): Promise<LogsResult> {
  const out: LogsResult = { sources: 0, entries: 0, problems: [], referenced: new Set(), lineHashes: new Map() };
  for (const dir of await listDir(abs(ctx.root, SOURCES_DIR))) {
    const dirWhere = `${SOURCES_DIR}/${dir.name}`;
    if (!dir.isDirectory() || !SOURCE_ID_RE.test(dir.name)) {
      out.problems.push({ where: dirWhere, message: `unexpected entry: source folders are named by valid source ids (${SOURCE_ID_RE})` });
      continue;
    }
    for (const file of await listDir(abs(ctx.root, dirWhere))) {
      const where = `${dirWhere}/${file.name}`;
      // state.json is a cache derived from the log (FORMAT.md), checked against it before use.
      if (file.name === LOG_FILE || file.name === STATE_FILE) continue;
      if (/^torn-.*\.bin$/.test(file.name)) notes.push({ where, message: 'bytes cut from a torn log tail by an earlier repair' });
      else if (file.name.startsWith(TEMP_PREFIX)) notes.push({ where, message: 'leftover temp file from an interrupted write; safe to delete' });
      else out.problems.push({ where, message: 'unexpected file in a source folder' });
    }
    const bytes = await ctx.readLog(dir.name);
    if (bytes === undefined) {
      out.problems.push({ where: dirWhere, message: `source folder without ${LOG_FILE}` });
      continue;
    }
    out.sources += 1;
    checkLog(dir.name, bytes, blobs, out);
  }
  return out;
}

function checkLog(source: string, bytes: Buffer, blobs: Set<string>, out: LogsResult): void {
  const file = rel.log(source);
  const completeEnd = bytes.lastIndexOf(0x0a) + 1;
  const lines = splitLines(bytes.subarray(0, completeEnd));
  const hashes: (string | undefined)[] = [];
  out.lineHashes.set(source, hashes);
  let prev: { seq: unknown; hash: unknown } | undefined;
  let versions = 0;
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const where = `${file} line ${lineNo}`;
    const problem = (message: string): void => {
      out.problems.push({ where, message });
    };
    const parsed = parseLine(line);
    // Even a line that fails its own checks may still be JSON: its stored seq/hash let the
    // next line's link be judged, so one bad line does not hide a second break after it.
    const raw = tryJson(line);
    if (!parsed.ok) problem(parsed.reason);
    else out.entries += 1;
    hashes.push(typeof raw?.hash === 'string' ? raw.hash : undefined);
    if (raw) {
      if (lineNo === 1) {
        if (raw.seq !== 1) problem(`seq is ${String(raw.seq)}, but the first entry must be seq 1 (entries missing at the start)`);
        if (raw.prev !== '') problem('prev is not "" although this is the first line (entries missing at the start)');
      } else if (prev) {
        if (typeof prev.seq === 'number' && raw.seq !== prev.seq + 1) {
          problem(`seq ${String(raw.seq)} follows seq ${prev.seq} on line ${lineNo - 1} (entry missing, duplicated or out of order)`);
        }
        if (typeof prev.hash === 'string' && raw.prev !== prev.hash) {
          problem(`prev is ${String(raw.prev)}, but line ${lineNo - 1} has hash ${prev.hash} (chain broken here)`);
        }
      }
      if (raw.source !== source) problem(`source is ${JSON.stringify(raw.source)}, but the entry is in the log of "${source}"`);
      if (typeof raw.outcome === 'string' && isVersionOutcome(raw.outcome)) {
        versions += 1;
        if (raw.version !== undefined && raw.version !== versions) problem(`version is ${String(raw.version)}, expected ${versions}`);
        if (raw.textHash === undefined) problem(`outcome "${raw.outcome}" without textHash`);
      }
      for (const field of ['rawHash', 'textHash'] as const) {
        const ref = raw[field];
        if (typeof ref !== 'string') continue;
        out.referenced.add(ref);
        if (!blobs.has(ref)) problem(`${field} ${ref} refers to a blob that is not in the archive (${rel.blob(ref)} missing)`);
      }
    }
    prev = raw ? { seq: raw.seq, hash: raw.hash } : undefined;
  });
  if (completeEnd < bytes.length) {
    out.problems.push({
      where: `${file} line ${lines.length + 1}`,
      message: `last line is torn (${bytes.length - completeEnd} bytes without a newline): a crash mid-append or a truncated file; opening the archive for writing moves it aside`,
    });
  }
}

function tryJson(line: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
