/**
 * Runs a whole process under /usr/bin/time, for its wall time and its peak RSS (the kernel's
 * own figure from wait4, which covers the process and any children it waited for).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface TimedRun {
  wallMs: number;
  /** User + system CPU time: on a shared machine this moves less than wall time. */
  cpuMs: number;
  maxRssKB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface TimedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Folder for the time(1) report file. */
  scratch: string;
  /** Kill the process after this long (default 30 min). */
  timeoutMs?: number;
}

const TIME = '/usr/bin/time';
let runs = 0;

export async function timed(cmd: string, args: string[], opts: TimedOptions): Promise<TimedRun> {
  if (!existsSync(TIME)) throw new Error(`${TIME} not found: run scripts/ensure-debian.sh to install the "time" package`);
  const report = join(opts.scratch, `time-${process.pid}-${++runs}.txt`);
  const started = performance.now();
  const child = spawn(TIME, ['-f', '%U %S %M', '-o', report, cmd, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30 * 60_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  const text = existsSync(report) ? readFileSync(report, 'utf8') : '';
  rmSync(report, { force: true });
  // time(1) writes "Command exited with non-zero status N" before the figures when it fails.
  const lines = text.trim().split('\n');
  const [user, sys, rss] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
  return {
    wallMs,
    cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000,
    maxRssKB: rss ?? NaN,
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** The last lines of a process's output, for error messages. */
export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Flush dirty pages to disk before a timed run, so the run does not pay for writeback of
 * what the setup wrote (the archive's checks fsync, and an fsync waits behind that backlog).
 */
export function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}
