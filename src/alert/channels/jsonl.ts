/** One JSON line per alert (the webhook payload), appended to a file or written to stdout. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DeliveryError } from '../errors.js';
import { appendDurable } from '../fsutil.js';
import { buildPayload } from '../payload.js';
import type { ChannelKind } from '../types.js';
import { name, timeoutMs } from './common.js';

const settings = z.strictObject({
  name,
  /** File to append to (relative to redline.yaml); absent = standard output. */
  path: z.string().min(1).optional(),
  maxChanges: z.number().int().min(0).max(10_000).default(200),
  timeoutMs: timeoutMs(10_000),
});

export type JsonlSettings = z.output<typeof settings>;

function writeStream(stream: NodeJS.WritableStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(line, (err) => (err ? reject(err) : resolve()));
  });
}

export const jsonl: ChannelKind<JsonlSettings> = {
  type: 'jsonl',
  description: 'One JSON line per alert to a file (appended) or to stdout',
  settings,
  identity: (s) => s.path ?? '-',
  async deliver(alert, s, ctx) {
    // JSON.stringify escapes newlines inside strings, so one alert is always exactly one line.
    const line = `${JSON.stringify(buildPayload(alert, s.maxChanges))}\n`;
    if (!s.path) {
      try {
        await writeStream(ctx.stdout, line);
      } catch (err) {
        throw new DeliveryError(`jsonl: cannot write to stdout: ${(err as Error).message}`, { retryable: true, cause: err });
      }
      return;
    }
    const file = path.resolve(ctx.baseDir, s.path);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await appendDurable(file, line);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new DeliveryError(`jsonl: cannot append to ${file}: ${e.message}`, { retryable: e.code !== 'EACCES' && e.code !== 'EROFS', cause: err });
    }
  },
};
