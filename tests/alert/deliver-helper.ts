/** Validate one channel config and call its deliver() the way the outbox does. */
import os from 'node:os';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { validateChannels } from '../../src/alert/registry.js';
import type { Alert } from '../../src/alert/types.js';

export function channel(type: string, settings: Record<string, unknown>) {
  const { channels, problems } = validateChannels([{ type, sources: [], tags: [], settings }], `${os.tmpdir()}/redline.yaml`);
  expect(problems).toEqual([]);
  return channels[0];
}

export async function deliverTo(type: string, settings: Record<string, unknown>, alert: Alert, extra: { stdout?: Writable; baseDir?: string } = {}): Promise<void> {
  const c = channel(type, settings);
  await c.kind.deliver(alert, c.settings, {
    key: alert.key,
    channelId: c.id,
    attempt: 1,
    signal: new AbortController().signal,
    baseDir: extra.baseDir ?? c.baseDir,
    stdout: extra.stdout ?? new Writable({ write: (_c, _e, cb) => cb() }),
  });
}
