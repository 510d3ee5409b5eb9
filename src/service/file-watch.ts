/**
 * Notices edits of the watch-list file. The directory is watched, not the file: editors and
 * `redline add` save by writing a temp file and renaming it over the old one, which silently
 * ends a watch on the old file's inode. Bursts of events (one save is often 2–4 events) are
 * debounced into one call.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from './types.js';

export interface FileWatch {
  close(): void;
}

export function watchFileChanges(
  path: string,
  onChange: () => void,
  options: { debounceMs?: number; logger: Logger },
): FileWatch {
  const name = basename(path);
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let closed = false;

  const fire = () => {
    timer = undefined;
    if (!closed) onChange();
  };

  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      // Some platforms report no filename; then any change in the folder may be ours.
      if (filename !== null && filename !== undefined && String(filename) !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    });
    watcher.on('error', (error) => {
      options.logger.warn({ file: path, err: error }, 'watching the watch list stopped; send SIGHUP to reload it after edits');
      watcher?.close();
    });
  } catch (error) {
    options.logger.warn(
      { file: path, err: error },
      'cannot watch the watch-list file for edits (folder missing or inotify limit reached); send SIGHUP to reload it',
    );
  }

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
