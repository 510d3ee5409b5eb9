/**
 * Exclusive lock over a file path, across processes (a lock file created with O_EXCL)
 * and within one process (a promise chain, since O_EXCL cannot tell two callers of
 * the same process apart). A lock whose holder process is gone is broken, so a
 * SIGKILLed `redline watch` does not wedge the outbox.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

export interface LockInfo {
  /** True when a dead holder's lock was broken: the caller may need to repair half-done work. */
  brokeStale: boolean;
}

const chains = new Map<string, Promise<unknown>>();

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(lockPath: string): Promise<{ holder?: Holder; text: string; ageMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    const ageMs = Date.now() - stat.mtimeMs;
    try {
      const holder = JSON.parse(text) as Holder;
      if (typeof holder.pid === 'number') return { holder, text, ageMs };
    } catch {
      // Written partly when its creator died between create and write.
    }
    return { text, ageMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function acquire(lockPath: string, timeoutMs: number): Promise<LockInfo> {
  const deadline = Date.now() + timeoutMs;
  const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  let brokeStale = false;
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      return { brokeStale };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = await readHolder(lockPath);
    if (!current) continue;
    const { holder, ageMs } = current;
    const dead = holder
      ? holder.host === me.host && !processAlive(holder.pid)
      : ageMs > 2_000;
    if (dead) {
      // Two processes may judge the same lock stale; the first breaks it and may already have
      // taken a new one by the time the second acts. So move the file aside (atomic, only one
      // mover wins) and check it is the one judged dead; if it is someone's fresh lock, put it back.
      const aside = `${lockPath}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
      try {
        await fs.rename(lockPath, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = await fs.readFile(aside, 'utf8');
      if (moved === current.text) {
        brokeStale = true;
      } else {
        await fs.link(aside, lockPath).catch(() => undefined);
      }
      await fs.rm(aside, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'an unknown process';
      throw new Error(
        `${lockPath} is held by ${who} (waited ${timeoutMs} ms). ` +
          `Another redline process is using this archive; if none is running, delete ${lockPath}.`,
      );
    }
    await sleep(wait);
  }
}

/** Run `fn` holding the lock at `lockPath`; the lock is released even when `fn` throws. */
export async function withLock<T>(lockPath: string, fn: (info: LockInfo) => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const key = path.resolve(lockPath);
  const previous = chains.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const chained = previous.then(() => mine);
  chains.set(key, chained);
  await previous;
  try {
    const info = await acquire(key, timeoutMs);
    try {
      return await fn(info);
    } finally {
      await fs.rm(key, { force: true });
    }
  } finally {
    release();
    if (chains.get(key) === chained) chains.delete(key);
  }
}
