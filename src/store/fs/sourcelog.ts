import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { CheckEntry, CheckInput, RepairNote, VersionInfo } from '../types.js';
import { appendLineDurable, fsyncDir, mkdirDurable, writeFileAtomic } from './durable.js';
import { applyVersion, checkInput, deriveVersions, isVersionOutcome, makeEntry, parseLine } from './entries.js';
import { abs, rel, StoreError } from './layout.js';
import { linesBackward, readRange, readTail, splitLines, type Tail } from './tail.js';

const settled = (): undefined => undefined;

export interface SourceLogContext {
  root: string;
  readOnly: boolean;
  onRepair(note: RepairNote): void;
  /** Throws if a referenced blob is missing, so no entry ever points at nothing. */
  requireBlob(hash: string, field: string, source: string): Promise<void>;
}

/** What an append needs of the newest entry: the chain link and the blobs it already names. */
type ChainHead = Pick<CheckEntry, 'seq' | 'hash' | 'rawHash' | 'textHash'>;

function chainOf(e: CheckEntry): ChainHead {
  return { seq: e.seq, hash: e.hash, rawHash: e.rawHash, textHash: e.textHash };
}

/**
 * One source's log, as the writer (or a reader) sees it: the chain head kept in memory after
 * the first touch, the full entry list and versions only once someone asks for them, then
 * kept up to date on append. Every operation on one source runs in order (per-source
 * queue), so parallel appends never interleave.
 *
 * A service holds one of these per source for its whole life, so what it keeps between
 * appends is small: the chain head and the newest version number, not the newest entry
 * (whose links and metadata can run to kilobytes); head() reads that back from the file.
 */
export class SourceLog {
  private touched = false;
  private last: ChainHead | undefined;
  /** The newest entry as read from the file, until the next append replaces it. */
  private headEntry: CheckEntry | undefined;
  /** Number of the newest version, once known (0: none yet). */
  private lastVersion: number | undefined;
  /** Why the last line cannot serve as head (damaged); appends are refused until fixed. */
  private headError: string | undefined;
  /** Bytes of complete, consumed lines. */
  private size = 0;
  private entryCache: CheckEntry[] | undefined;
  private versionCache: VersionInfo[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Operations queued or running; the store may drop an idle log from its cache. */
  pending = 0;

  constructor(
    private readonly ctx: SourceLogContext,
    readonly id: string,
  ) {}

  get where(): string {
    return rel.log(this.id);
  }

  get file(): string {
    return abs(this.ctx.root, this.where);
  }

  /** Run `fn` after every operation queued before it on this source. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const run = this.queue.then(fn, fn).finally(() => {
      this.pending -= 1;
    });
    // Settle to undefined either way: `.catch` alone would pass a success through, and the
    // queue would hold the last result (a whole entry) for as long as the source is watched.
    this.queue = run.then(settled, settled);
    return run;
  }

  head(): Promise<CheckEntry | undefined> {
    return this.exclusive(async () => {
      await this.refresh();
      if (this.headError) throw this.corrupt(this.headError);
      if (!this.last) return undefined;
      this.headEntry ??= this.entryCache?.at(-1) ?? (await this.readHead());
      return this.headEntry;
    });
  }

  /** The newest entry's seq and hash, without reading the entry back. */
  chainHead(): Promise<Pick<CheckEntry, 'seq' | 'hash'> | undefined> {
    return this.exclusive(async () => {
      await this.refresh();
      if (this.headError) throw this.corrupt(this.headError);
      return this.last && { seq: this.last.seq, hash: this.last.hash };
    });
  }

  entries(): Promise<readonly CheckEntry[]> {
    return this.exclusive(() => this.loadedEntries());
  }

  versions(): Promise<readonly VersionInfo[]> {
    return this.exclusive(() => this.loadedVersions());
  }

  append(input: CheckInput): Promise<CheckEntry> {
    return this.exclusive(() => this.appendNow(input));
  }

  /**
   * Entries newest first, read backwards from the end until `stop` returns true (that entry
   * included) or the first line. Costs what it reads, not the log's length: a caller that
   * needs only the last few entries never parses the rest. Hashes and links are checked
   * like a full read.
   */
  recent(stop: (e: CheckEntry) => boolean): Promise<CheckEntry[]> {
    return this.exclusive(async () => {
      await this.refresh();
      if (this.headError) throw this.corrupt(this.headError);
      if (this.entryCache) {
        const out: CheckEntry[] = [];
        for (let i = this.entryCache.length - 1; i >= 0; i--) {
          out.push(this.entryCache[i]!);
          if (stop(this.entryCache[i]!)) break;
        }
        return out;
      }
      return this.readBackwards(stop);
    });
  }

  /** Touch (and repair) without reading the whole log. */
  touch(): Promise<void> {
    return this.exclusive(() => this.refresh());
  }

  private async loadedEntries(): Promise<readonly CheckEntry[]> {
    await this.refresh();
    if (!this.entryCache) await this.loadAll();
    return this.entryCache ?? [];
  }

  private async loadedVersions(): Promise<readonly VersionInfo[]> {
    await this.refresh();
    if (!this.versionCache) this.versionCache = deriveVersions(await this.loadedEntries());
    return this.versionCache;
  }

  private async appendNow(input: CheckInput): Promise<CheckEntry> {
    if (this.ctx.readOnly) throw new StoreError('E_READONLY', `cannot append to "${this.id}": the archive ${this.ctx.root} was opened read-only`);
    await this.refresh();
    if (this.headError) throw this.corrupt(this.headError);
    // Only a new version needs the version number; unchanged/failed checks stay O(1).
    const next = isVersionOutcome(String(input?.outcome)) ? (await this.newestVersion()) + 1 : undefined;
    const checked = checkInput(this.id, input, next);
    // A hash the head already names was checked when the head was appended (blobs are never
    // removed), so an unchanged check confirming the current version costs no stat.
    const named = (h: string) => h === this.last?.rawHash || h === this.last?.textHash;
    if (checked.rawHash !== undefined && !named(checked.rawHash)) await this.ctx.requireBlob(checked.rawHash, 'rawHash', this.id);
    if (checked.textHash !== undefined && !named(checked.textHash)) await this.ctx.requireBlob(checked.textHash, 'textHash', this.id);
    const { entry, line } = makeEntry(this.id, checked, this.last);
    if (!this.last) await mkdirDurable(path.dirname(this.file));
    try {
      await appendLineDurable(this.file, line, { exists: this.last !== undefined });
    } catch (err) {
      // The line may be on disk whole, torn, or not at all: start over from the file next time.
      this.forget();
      throw new StoreError('E_IO', `could not append to ${this.file}: ${(err as Error).message}`, { cause: err });
    }
    this.last = chainOf(entry);
    this.headEntry = undefined;
    if (next !== undefined) this.lastVersion = entry.version ?? next;
    this.size += line.length;
    this.entryCache?.push(entry);
    if (this.versionCache) applyVersion(this.versionCache, entry);
    return entry;
  }

  /**
   * First touch: find the head from the end of the file and, when writing, repair a torn
   * tail. Readers re-check on every call because a writer in another process appends.
   */
  private async refresh(): Promise<void> {
    if (this.touched && !this.ctx.readOnly) return;
    const handle = await openIfExists(this.file, this.ctx.readOnly);
    if (!handle) {
      if (this.size > 0) this.forget();
      this.touched = true;
      return;
    }
    try {
      const { size } = await handle.stat();
      if (this.touched && size === this.size) return;
      if (size < this.size) this.forget();
      if (this.touched && this.entryCache && size > this.size) {
        await this.readNewLines(handle, size);
        return;
      }
      let tail = await readTail(handle);
      if (!this.ctx.readOnly) tail = await this.repairTail(handle, tail);
      this.size = tail.completeEnd;
      this.setHead(tail);
      this.touched = true;
    } finally {
      await handle.close();
    }
  }

  private setHead(tail: Tail): void {
    this.last = undefined;
    this.headEntry = undefined;
    this.headError = undefined;
    if (!tail.lastLine) return;
    const parsed = parseLine(tail.lastLine.bytes);
    if (parsed.ok) {
      this.headEntry = parsed.entry;
      this.last = chainOf(parsed.entry);
    } else this.headError = `last line (byte ${tail.lastLine.start}): ${parsed.reason}`;
  }

  /** The newest entry, read back from the end of the file (refresh found the chain head there). */
  private async readHead(): Promise<CheckEntry | undefined> {
    return (await this.readBackwards(() => true))[0];
  }

  /** A reader following a growing log: parse only what was appended since last time. */
  private async readNewLines(handle: fsp.FileHandle, size: number): Promise<void> {
    const fresh = await readRange(handle, this.size, size);
    const end = fresh.lastIndexOf(0x0a) + 1;
    const lines = splitLines(fresh.subarray(0, end));
    const firstLine = (this.entryCache?.length ?? 0) + 1;
    const parsed = this.parseAll(lines, firstLine, this.last);
    this.entryCache?.push(...parsed);
    if (this.versionCache) for (const e of parsed) applyVersion(this.versionCache, e);
    const newest = parsed.at(-1);
    if (newest) {
      this.last = chainOf(newest);
      this.headEntry = newest;
      this.lastVersion = undefined;
    }
    this.size += end;
  }

  /** Entries newest first, parsed and link-checked from the end of the file until `stop` says so. */
  private async readBackwards(stop: (e: CheckEntry) => boolean): Promise<CheckEntry[]> {
    if (!this.last) return [];
    const handle = await openIfExists(this.file, true);
    if (!handle) return [];
    const out: CheckEntry[] = [];
    try {
      let newer: CheckEntry | undefined;
      for await (const line of linesBackward(handle, this.size)) {
        const parsed = parseLine(line.bytes);
        const where = `byte ${line.start}`;
        if (!parsed.ok) throw this.corrupt(`${where}: ${parsed.reason}`);
        const e = parsed.entry;
        const linked = newer ? newer.prev === e.hash && newer.seq === e.seq + 1 : e.hash === this.last.hash;
        if (!linked || (line.start === 0 && (e.seq !== 1 || e.prev !== ''))) {
          throw this.corrupt(`${where} (seq ${e.seq}): the entry does not link to the one after it (chain broken)`);
        }
        out.push(e);
        if (stop(e)) break;
        newer = e;
      }
    } finally {
      await handle.close();
    }
    return out;
  }

  /**
   * The number a new version follows: read back to the newest version entry once, then kept
   * by appends. Only the number is kept, so a writer that stores a new version of 10,000
   * sources holds neither their logs nor their version lists.
   */
  private async newestVersion(): Promise<number> {
    if (this.lastVersion !== undefined) return this.lastVersion;
    if (this.versionCache ?? this.entryCache) {
      this.lastVersion = (this.versionCache ?? deriveVersions(this.entryCache!)).at(-1)?.version ?? 0;
      return this.lastVersion;
    }
    const found = (await this.readBackwards((e) => isVersionOutcome(e.outcome))).find((e) => isVersionOutcome(e.outcome));
    // Logs written by this store number every version; one that does not is counted in full.
    this.lastVersion = !found ? 0 : Number.isSafeInteger(found.version) ? found.version! : deriveVersions(await this.readAll()).length;
    return this.lastVersion;
  }

  private async loadAll(): Promise<void> {
    this.entryCache = await this.readAll();
  }

  private async readAll(): Promise<CheckEntry[]> {
    const handle = await openIfExists(this.file, this.ctx.readOnly);
    if (!handle) return [];
    try {
      const bytes = await readRange(handle, 0, this.size);
      return this.parseAll(splitLines(bytes), 1, undefined);
    } finally {
      await handle.close();
    }
  }

  /** Parse lines, checking each hash and its link to the one before; a break is an error here, details come from verify. */
  private parseAll(lines: Buffer[], firstLine: number, before: Pick<CheckEntry, 'hash'> | undefined): CheckEntry[] {
    const out: CheckEntry[] = [];
    let prev = before;
    lines.forEach((bytes, i) => {
      const lineNo = firstLine + i;
      const parsed = parseLine(bytes);
      if (!parsed.ok) throw this.corrupt(`line ${lineNo}: ${parsed.reason}`);
      const e = parsed.entry;
      if (e.seq !== lineNo || e.prev !== (prev ? prev.hash : '')) {
        throw this.corrupt(`line ${lineNo}: seq ${e.seq} / prev ${e.prev.slice(0, 12)}… do not follow the line before (chain broken)`);
      }
      out.push(e);
      prev = e;
    });
    return out;
  }

  /** Cut a torn tail (no final newline, or a last line that is not JSON) and keep the bytes aside. */
  private async repairTail(handle: fsp.FileHandle, tail: Tail): Promise<Tail> {
    let cut: number | undefined;
    let reason: RepairNote['reason'] = 'no trailing newline';
    if (tail.completeEnd < tail.size) {
      cut = tail.completeEnd;
    } else if (tail.lastLine && !isJson(tail.lastLine.bytes)) {
      cut = tail.lastLine.start;
      reason = 'unparsable last line';
    }
    if (cut === undefined) return tail;
    const torn = await readRange(handle, cut, tail.size);
    const keptIn = await this.keepTorn(torn);
    await handle.truncate(cut);
    await handle.sync();
    await fsyncDir(path.dirname(this.file));
    this.ctx.onRepair({
      source: this.id,
      file: this.where,
      offset: cut,
      bytes: torn.length,
      keptIn,
      reason,
      time: new Date().toISOString(),
    });
    return readTail(handle);
  }

  private async keepTorn(bytes: Buffer): Promise<string> {
    const stamp = new Date().toISOString().replace(/:/g, '-');
    for (let n = 0; ; n++) {
      const name = `${rel.sourceDir(this.id)}/torn-${stamp}${n ? `-${n}` : ''}.bin`;
      try {
        await fsp.access(abs(this.ctx.root, name));
      } catch {
        await writeFileAtomic(abs(this.ctx.root, name), bytes);
        return name;
      }
    }
  }

  private forget(): void {
    this.touched = false;
    this.last = undefined;
    this.headEntry = undefined;
    this.lastVersion = undefined;
    this.headError = undefined;
    this.size = 0;
    this.entryCache = undefined;
    this.versionCache = undefined;
  }

  private corrupt(detail: string): StoreError {
    return new StoreError(
      'E_CORRUPT',
      `log of source "${this.id}" (${this.file}) is damaged at ${detail}; run verify for the full list of problems, then restore the log from a backup`,
    );
  }
}

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

async function openIfExists(file: string, readOnly: boolean): Promise<fsp.FileHandle | undefined> {
  try {
    return await fsp.open(file, readOnly ? 'r' : 'r+');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw err;
  }
}
