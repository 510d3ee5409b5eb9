import { promises as fsp, readFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fsyncDir } from './durable.js';
import { LOCK_FILE, StoreError } from './layout.js';

/**
 * Single-writer lock: <root>/LOCK created with O_EXCL, holding "pid host time". Two
 * processes appending to one log could interleave lines and fork the hash chain, so only
 * the holder writes. A lock left by a process that no longer exists on this host is taken
 * over; one held by a live process (including this one) is refused.
 */
export interface HeldLock {
  readonly file: string;
  release(): Promise<void>;
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

const TAKEOVER_SUFFIX = '.takeover';
/**
 * Lock files this process holds. A LOCK naming our own pid that is not in here was left by
 * an earlier process that had the same pid (containers restart with the same small pids).
 */
const heldHere = new Set<string>();

export async function acquireLock(root: string): Promise<HeldLock> {
  const file = path.join(root, LOCK_FILE);
  const content = `${process.pid} ${os.hostname()} ${new Date().toISOString()}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(file, content)) {
      await fsyncDir(root);
      heldHere.add(file);
      return makeHeld(file, content);
    }
    const holder = await readLock(file);
    if (holder === 'gone') continue;
    if (holder === 'unreadable') {
      // Another process may be between create and write; give it a moment, then judge.
      await sleep(50 * (attempt + 1));
      const again = await readLock(file);
      if (again !== 'unreadable') continue;
      await takeOver(file, await fsp.readFile(file, 'utf8').catch(() => ''));
      continue;
    }
    if (!isStale(holder, file)) {
      const who = holder.pid === process.pid ? 'this process (the archive is already open for writing)' : `process ${holder.pid} on ${holder.host} since ${holder.since}`;
      throw new StoreError(
        'E_LOCKED',
        `archive ${root} is locked by ${who}: only one writer at a time. Stop that process, or open the archive read-only; if you are sure no Redline process uses it, delete ${file}.`,
      );
    }
    await takeOver(file, await fsp.readFile(file, 'utf8').catch(() => ''));
  }
  throw new StoreError('E_LOCKED', `could not take the lock ${file}: it kept changing hands; another process is competing for the archive`);
}

function makeHeld(file: string, content: string): HeldLock {
  let released = false;
  // A crash skips this, but then the pid is dead and the next open takes the lock over.
  const onExit = (): void => {
    heldHere.delete(file);
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file);
    } catch {
      // Nothing useful to do while exiting.
    }
  };
  process.once('exit', onExit);
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      process.removeListener('exit', onExit);
      const now = await fsp.readFile(file, 'utf8').catch(() => undefined);
      if (now === content) {
        await fsp.unlink(file);
        await fsyncDir(path.dirname(file));
      }
    },
  };
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(file: string): Promise<LockInfo | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  const [pid, host, since] = text.trim().split(/\s+/);
  const n = Number(pid);
  if (!Number.isSafeInteger(n) || n <= 0 || !host) return 'unreadable';
  return { pid: n, host, since: since ?? '?' };
}

function isStale(info: LockInfo, file: string): boolean {
  // A pid on another host (shared network folder) cannot be checked from here.
  if (info.host !== os.hostname()) return false;
  if (info.pid === process.pid) return !heldHere.has(file);
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Remove a stale lock. Two processes may judge the same lock stale at once; a second
 * O_EXCL file serialises the removal, and the content is re-read under it so a fresh lock
 * written by the winner in the meantime is never deleted.
 */
async function takeOver(file: string, staleContent: string): Promise<void> {
  const guard = file + TAKEOVER_SUFFIX;
  if (!(await createExclusive(guard, `${process.pid} ${os.hostname()} ${new Date().toISOString()}\n`))) {
    const other = await readLock(guard);
    if (other !== 'gone' && other !== 'unreadable' && isStale(other, guard)) await fsp.unlink(guard).catch(() => undefined);
    await sleep(20);
    return;
  }
  heldHere.add(guard);
  try {
    const now = await fsp.readFile(file, 'utf8').catch(() => undefined);
    if (now !== undefined && now === staleContent) await fsp.unlink(file);
  } finally {
    heldHere.delete(guard);
    await fsp.unlink(guard).catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
