import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { TEMP_PREFIX } from './layout.js';

const APPEND_EXISTING = fsConstants.O_WRONLY | fsConstants.O_APPEND;

/**
 * Crash-safe file primitives. A rename is atomic, but without the fsyncs a power cut can
 * leave the new name pointing at empty or partial data (ext4 delalloc, XFS), or lose the
 * rename itself: hence file fsync before rename, folder fsync after.
 */

/** fsync a folder so a create/rename/unlink inside it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open or fsync a folder; its rename is durable on its own (NTFS journal).
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw err;
  } finally {
    await handle?.close();
  }
}

let tempCounter = 0;

export function tempName(): string {
  tempCounter += 1;
  return `${TEMP_PREFIX}${process.pid}-${tempCounter}-${randomBytes(4).toString('hex')}`;
}

/** Write `data` to `file` via a temp file in the same folder: fsync, rename, fsync folder. */
export async function writeFileAtomic(file: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, tempName());
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(temp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/**
 * Create a folder (and parents) and make its creation durable. Returns true if it was created.
 * Parents created on the way are fsynced too, deepest first.
 */
export async function mkdirDurable(dir: string): Promise<boolean> {
  const first = await fsp.mkdir(dir, { recursive: true });
  if (first === undefined) return false;
  // `first` is the top-most folder created; every folder from it down to `dir` is new.
  let current = dir;
  for (;;) {
    await fsyncDir(path.dirname(current));
    if (current === first || path.dirname(current) === current) break;
    current = path.dirname(current);
  }
  return true;
}

/**
 * Append one whole line with a single write(2) on an O_APPEND descriptor, then fsync.
 * O_APPEND makes the write land at the current end even if the file grew meanwhile; a
 * single write means a crash leaves either nothing, the whole line, or a torn tail without
 * its newline (which the next open detects and repairs). Returns whether the file was new.
 */
export async function appendLineDurable(file: string, line: Buffer, opts: { exists?: boolean } = {}): Promise<{ created: boolean }> {
  let created = false;
  let handle: fsp.FileHandle | undefined;
  // A log known to exist is opened without O_CREAT: no failed exclusive create (and its
  // thrown EEXIST) on every append; if it vanished after all, the create path below runs.
  if (opts.exists) handle = await fsp.open(file, APPEND_EXISTING).catch(() => undefined);
  if (!handle) {
    try {
      handle = await fsp.open(file, 'ax', 0o644);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      handle = await fsp.open(file, 'a');
    }
  }
  try {
    const { bytesWritten } = await handle.write(line, 0, line.length);
    if (bytesWritten !== line.length) {
      throw new Error(`short write to ${file}: ${bytesWritten} of ${line.length} bytes (disk full?); the torn line is repaired on the next open`);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) await fsyncDir(path.dirname(file));
  return { created };
}
