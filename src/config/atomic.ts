/** Replacing the watch list whole or not at all: temp file in the same folder, fsync, rename. */

import { randomBytes } from 'node:crypto';
import { link, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

async function writeTemp(target: string, text: string, mode: number): Promise<string> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  return tmp;
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open a directory, which is fine.
  const fh = await open(dir, 'r').catch(() => undefined);
  await fh?.sync().catch(() => {});
  await fh?.close().catch(() => {});
}

/** The file a path names, through symlinks, so a linked watch list is edited in place. */
export async function targetOf(file: string): Promise<string> {
  return realpath(file).catch(() => path.resolve(file));
}

/**
 * Replaces `file` with `text`, but only if it still holds `expected`: a concurrent edit
 * (another `redline add`, an editor saving) is reported instead of silently overwritten.
 */
export async function replaceFile(file: string, text: string, expected: string): Promise<void> {
  const target = await targetOf(file);
  const { mode } = await stat(target);
  const tmp = await writeTemp(target, text, mode & 0o777);
  try {
    const now = await readFile(target, 'utf8');
    if (now !== expected) {
      throw new Error(`${file} changed while it was being edited (another program wrote it); nothing was written: run the command again`);
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDir(path.dirname(target));
}

/** Creates `file` with `text`; fails with EEXIST if it exists, unless `overwrite`. */
export async function createFile(file: string, text: string, overwrite: boolean): Promise<void> {
  const target = path.resolve(file);
  const tmp = await writeTemp(target, text, 0o644);
  try {
    if (overwrite) {
      await rename(tmp, await targetOf(target));
    } else {
      // link() refuses an existing name atomically, unlike a check followed by rename().
      try {
        await link(tmp, target);
        await unlink(tmp);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw e;
        // No hard links on this file system: fall back to check-then-rename.
        if (await stat(target).then(() => true, () => false)) {
          throw Object.assign(new Error(`EEXIST: file already exists, '${target}'`), { code: 'EEXIST' });
        }
        await rename(tmp, target);
      }
    }
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDir(path.dirname(target));
}
