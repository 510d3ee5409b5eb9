/**
 * Signs the archive's log heads when the watch list names a signing key: after a
 * `redline check` run, and in `redline watch` a short while after the last append (so a
 * burst of checks costs one signature), and once more at shutdown.
 */
import { readFile } from 'node:fs/promises';
import type { FsStore } from '../store/index.js';
import type { RedlineConfig } from '../config/types.js';

export interface HeadSigner {
  /** Something was appended: sign within `delayMs`. */
  touch(): void;
  /** Sign now if anything was appended since the last signature. */
  flush(): Promise<void>;
}

export async function readSigningKey(config: RedlineConfig): Promise<string | undefined> {
  if (!config.signingKey) return undefined;
  return readFile(config.signingKey, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read signing_key ${config.signingKey} (${err.code ?? err.message}); create one with "redline keygen"`);
  });
}

export function createHeadSigner(
  store: Pick<FsStore, 'signHeads'>, keyPem: string, opts: { delayMs?: number; onError?: (err: unknown) => void } = {},
): HeadSigner {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const sign = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return running;
    dirty = false;
    running = running.then(() => store.signHeads(keyPem)).then(() => undefined, (err) => {
      dirty = true;
      opts.onError?.(err);
    });
    return running;
  };
  return {
    touch() {
      dirty = true;
      timer ??= setTimeout(() => void sign(), opts.delayMs ?? 10_000);
      timer.unref?.();
    },
    flush: sign,
  };
}
