/** Crash-safe file writes for the outbox and feed files: the archive's own primitives. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from '../store/fs/durable.js';

export { fsyncDir };

/** Write via temp file + fsync + rename + fsync(dir), creating the folder if needed. */
export async function writeFileDurable(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, data);
}

/** Append in one write() and fdatasync before returning, so "appended" means "on disk". */
export async function appendDurable(file: string, data: string): Promise<void> {
  const handle = await fs.open(file, 'a');
  try {
    await handle.write(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
