import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { CheckEntry, CheckInput, RepairNote, SignedHeads, Store, VerifyOptions, VerifyReport, VersionInfo } from '../types.js';
import { BlobFiles } from './blobs.js';
import { mkdirDurable, tempName, writeFileAtomic } from './durable.js';
import { abs, checkSourceId, FORMAT_FILE, FORMAT_LINE, rel, SOURCE_ID_RE, SOURCES_DIR, StoreError } from './layout.js';
import { acquireLock, type HeldLock } from './lock.js';
import { writeSignedHeads } from './signing.js';
import { SourceLog, type SourceLogContext } from './sourcelog.js';
import { verifyArchive } from './verify.js';

export interface FsStoreOptions {
  /**
   * Open without the writer lock: no appends, no blob writes, no repairs. Any number of
   * readers can follow an archive a writer in another process is appending to.
   */
  readOnly?: boolean;
  /** Where repair notes are logged (a pino logger fits). */
  logger?: { warn(obj: object, msg?: string): void };
}

/** The default archive: files under one root folder. Format: src/store/FORMAT.md. */
export class FsStore implements Store {
  readonly root: string;
  readonly readOnly: boolean;
  private readonly blobs: BlobFiles;
  private readonly logs = new Map<string, SourceLog>();
  private readonly logContext: SourceLogContext;
  private readonly repairNotes: RepairNote[] = [];
  private closed = false;

  constructor(
    root: string,
    private readonly opts: FsStoreOptions,
    private readonly lock: HeldLock | undefined,
  ) {
    this.root = root;
    this.readOnly = opts.readOnly === true;
    this.blobs = new BlobFiles(root);
    // One context shared by every source's log: a service keeps a log object per source.
    this.logContext = {
      root: this.root,
      readOnly: this.readOnly,
      onRepair: (note) => {
        this.repairNotes.push(note);
        this.opts.logger?.warn({ repair: note }, `archive: cut a torn last line from ${note.file}, kept in ${note.keptIn}`);
      },
      requireBlob: async (hash, field, id) => {
        if (!(await this.blobs.has(hash))) {
          throw new StoreError('E_INPUT', `append to source "${id}" refused: ${field} ${hash} is not in the archive; putBlob the bytes first`);
        }
      },
    };
  }

  async putBlob(data: Buffer): Promise<string> {
    this.writable('putBlob');
    if (!(data instanceof Uint8Array)) throw new StoreError('E_INPUT', 'putBlob: data must be a Buffer');
    return this.blobs.put(data);
  }

  async getBlob(hash: string): Promise<Buffer> {
    this.open('getBlob');
    return this.blobs.get(hash);
  }

  async hasBlob(hash: string): Promise<boolean> {
    this.open('hasBlob');
    return this.blobs.has(hash);
  }

  async append(source: string, check: CheckInput): Promise<CheckEntry> {
    this.writable('append');
    return clone(await this.sourceLog(source).append(check));
  }

  async log(source: string): Promise<CheckEntry[]> {
    this.open('log');
    return (await this.sourceLog(source).entries()).map(clone);
  }

  async head(source: string): Promise<CheckEntry | undefined> {
    this.open('head');
    const entry = await this.sourceLog(source).head();
    return entry && clone(entry);
  }

  /**
   * The newest entries, newest first, back to the first one for which `stop` returns true
   * (included) or the start of the log. Reads only that much of the log, so callers that need
   * recent state (the last version, the current failure run) pay the same for 10 or 10,000
   * entries.
   */
  async recent(source: string, stop: (e: CheckEntry) => boolean): Promise<CheckEntry[]> {
    this.open('recent');
    const out: CheckEntry[] = [];
    await this.sourceLog(source).recent((e) => {
      const copy = clone(e);
      out.push(copy);
      return stop(copy);
    });
    return out;
  }

  async versions(source: string): Promise<VersionInfo[]> {
    this.open('versions');
    return (await this.sourceLog(source).versions()).map((v) => ({ ...v }));
  }

  async sources(): Promise<string[]> {
    this.open('sources');
    let names: string[];
    try {
      names = await fsp.readdir(abs(this.root, SOURCES_DIR));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: string[] = [];
    for (const name of names.sort()) {
      if (!SOURCE_ID_RE.test(name)) continue;
      try {
        await fsp.access(abs(this.root, rel.log(name)));
        out.push(name);
      } catch {
        // A folder without a log (created just before a crash) has no checks to list.
      }
    }
    return out;
  }

  release(source: string): void {
    const log = this.logs.get(source);
    if (log && log.pending === 0) this.logs.delete(source);
  }

  async readState(source: string): Promise<unknown> {
    this.open('readState');
    checkSourceId(source);
    try {
      return JSON.parse(await fsp.readFile(abs(this.root, rel.state(source)), 'utf8')) as unknown;
    } catch {
      // Missing, or cut short by a crash (it is written without fsync): the log has it all.
      return undefined;
    }
  }

  async writeState(source: string, value: unknown): Promise<void> {
    this.writable('writeState');
    const file = abs(this.root, rel.state(source));
    // In the source's queue, so two writes land in order; temp + rename so a reader never sees
    // half a file. No fsync: losing the newest copy in a power cut only costs a longer read.
    await this.sourceLog(source).exclusive(async () => {
      const temp = path.join(path.dirname(file), tempName());
      try {
        await fsp.writeFile(temp, JSON.stringify(value));
        await fsp.rename(temp, file);
      } catch (err) {
        await fsp.unlink(temp).catch(() => undefined);
        throw err;
      }
    });
  }

  /** Repairs of torn log tails done since this store was opened. */
  repairs(): RepairNote[] {
    return this.repairNotes.map((r) => ({ ...r }));
  }

  async verify(opts: VerifyOptions = {}): Promise<VerifyReport> {
    this.open('verify');
    // A writer repairs torn tails first, so the report shows the archive as it will be used.
    if (!this.readOnly) for (const id of await this.sources()) await this.sourceLog(id).touch();
    return verifyArchive({
      root: this.root,
      publicKeyPem: opts.publicKeyPem,
      repairs: this.repairNotes,
      readLog: (source) => {
        const read = (): Promise<Buffer | undefined> =>
          fsp.readFile(abs(this.root, rel.log(source))).catch((err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') return undefined;
            throw err;
          });
        return SOURCE_ID_RE.test(source) ? this.sourceLog(source).exclusive(read) : read();
      },
    });
  }

  /**
   * Sign every log's current head with an Ed25519 private key (PEM): writes heads.json and
   * heads.sig. Call after each cycle; verify({ publicKeyPem }) then catches any log cut
   * short or rewritten below what was signed.
   */
  async signHeads(privateKeyPem: string): Promise<SignedHeads> {
    this.writable('signHeads');
    const heads: Record<string, { seq: number; hash: string }> = {};
    for (const id of await this.sources()) {
      const head = await this.sourceLog(id).chainHead();
      if (head) heads[id] = { seq: head.seq, hash: head.hash };
    }
    return writeSignedHeads(this.root, heads, privateKeyPem);
  }

  /** Release the writer lock. The store cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let queued appends finish before the lock goes.
    await Promise.all([...this.logs.values()].map((l) => l.exclusive(async () => undefined)));
    await this.lock?.release();
  }

  private sourceLog(source: string): SourceLog {
    checkSourceId(source);
    let log = this.logs.get(source);
    if (!log) {
      log = new SourceLog(this.logContext, source);
      this.logs.set(source, log);
    }
    return log;
  }

  private open(op: string): void {
    if (this.closed) throw new StoreError('E_CLOSED', `${op}: the archive ${this.root} was closed; open it again`);
  }

  private writable(op: string): void {
    this.open(op);
    if (this.readOnly) throw new StoreError('E_READONLY', `${op}: the archive ${this.root} was opened read-only`);
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Open (or create) an archive. A writer takes <root>/LOCK, creates the root and its FORMAT
 * file if missing, and refuses an archive of an unknown format version.
 */
export async function openFsStore(root: string, opts: FsStoreOptions = {}): Promise<FsStore> {
  const dir = path.resolve(root);
  const formatFile = abs(dir, FORMAT_FILE);
  const format = await fsp.readFile(formatFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (format !== undefined && format.trim() !== FORMAT_LINE) {
    throw new StoreError(
      'E_FORMAT',
      `${formatFile} says ${JSON.stringify(format.trim().slice(0, 60))}, but this Redline reads "${FORMAT_LINE}"; use the Redline version that wrote the archive, or point to another folder`,
    );
  }
  if (opts.readOnly) {
    if (format === undefined) {
      throw new StoreError('E_FORMAT', `${dir} is not a Redline archive (no ${FORMAT_FILE} file); check the archive path`);
    }
    return new FsStore(dir, opts, undefined);
  }
  if (format === undefined) {
    const entries = await fsp.readdir(dir).catch(() => [] as string[]);
    const foreign = entries.filter((n) => !['objects', SOURCES_DIR, 'LOCK', '.gitkeep', '.gitignore'].includes(n));
    if (foreign.length > 0) {
      throw new StoreError(
        'E_FORMAT',
        `${dir} has no ${FORMAT_FILE} file but holds other files (${foreign.slice(0, 3).join(', ')}); refusing to turn it into an archive. Use an empty folder.`,
      );
    }
  }
  await mkdirDurable(dir);
  const lock = await acquireLock(dir);
  try {
    if (format === undefined) await writeFileAtomic(formatFile, FORMAT_LINE + '\n');
  } catch (err) {
    await lock.release();
    throw err;
  }
  return new FsStore(dir, opts, lock);
}
