/** Output, errors and exit codes shared by all commands. */
import type { Command } from 'commander';
import { ConfigError } from '../config/index.js';
import { loadWatchList } from '../core/watchlist.js';
import type { RedlineConfig } from '../config/types.js';
import { ArchiveLookupError } from '../core/archive.js';
import { StoreError } from '../store/index.js';
import { ExtractError } from '../extract/errors.js';

/** A failure the user can fix; printed as one message, no stack. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UsageError';
  }
}

export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  // Errors whose message already says what is wrong and what to do: no stack trace.
  if (err instanceof ArchiveLookupError || err instanceof StoreError || err instanceof ExtractError) {
    process.stderr.write(`redline: ${err.message}\n`);
    return 2;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`redline: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && e.code === 'ENOENT' && e.path) {
    process.stderr.write(`redline: no such file: ${e.path}\n`);
    return 2;
  }
  process.stderr.write(`redline: unexpected error (please report it with this trace):\n${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

export function configPath(cmd: Command): string {
  return cmd.optsWithGlobals<{ config: string }>().config;
}

export async function loadFrom(cmd: Command): Promise<RedlineConfig> {
  return loadWatchList(configPath(cmd));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function println(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function parsePositiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a whole number ≥ 1, got "${value}"`);
  return n;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
