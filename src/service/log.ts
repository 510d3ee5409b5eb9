/**
 * Logging for the long-running service. Machines read JSON lines (pino); a person at a
 * terminal would drown in one line per check, so on a TTY the default is warnings only plus a
 * periodic one-line status summary, unless --verbose or LOG_LEVEL asks for more.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** --verbose: debug level, and no summary even on a TTY. */
  verbose?: boolean;
  /** An explicit level; wins over verbose and the environment. */
  level?: string;
  /** LOG_LEVEL is read from here (default process.env). */
  env?: Record<string, string | undefined>;
  /** Where JSON lines go (default: stdout, written synchronously so nothing is lost at exit). */
  destination?: DestinationStream;
  /** Whether a person is watching (default: process.stdout.isTTY). */
  isTTY?: boolean;
}

export interface ServiceLogging {
  logger: Logger;
  level: string;
  /** True when the caller should print a status summary (a TTY with no level asked for). */
  statusSummary: boolean;
}

export function createLogger(options: LoggerOptions = {}): ServiceLogging {
  const env = options.env ?? process.env;
  const tty = options.isTTY ?? Boolean(process.stdout.isTTY);
  const fromEnv = env.LOG_LEVEL?.trim() || undefined;
  const explicit = options.level ?? fromEnv;
  const level = explicit ?? (options.verbose ? 'debug' : tty ? 'warn' : 'info');
  if (!(level in pino.levels.values) && level !== 'silent') {
    const origin = options.level !== undefined ? 'the level option' : 'LOG_LEVEL';
    throw new Error(
      `unknown log level "${level}" (from ${origin}); use one of ${[...Object.keys(pino.levels.values), 'silent'].join(', ')}`,
    );
  }
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const logger = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return { logger, level, statusSummary: tty && !options.verbose && explicit === undefined };
}

export interface StatusCounts {
  sources: number;
  checked: number;
  changed: number;
  failed: number;
  queued: number;
  running: number;
}

const n = (value: number) => value.toLocaleString('en-US');

export function formatStatus(c: StatusCounts, at: Date = new Date()): string {
  const time = at.toISOString().slice(11, 19);
  return (
    `redline ${time}Z · ${n(c.sources)} sources · checked ${n(c.checked)} · changed ${n(c.changed)}` +
    ` · failed ${n(c.failed)} · queued ${n(c.queued)} · running ${n(c.running)}`
  );
}

export interface StatusSummary {
  /** Writes one line now. */
  print(): void;
  stop(): void;
}

/** Writes formatStatus(counts()) every intervalMs; its timer never keeps the process alive. */
export function startStatusSummary(options: {
  counts: () => StatusCounts;
  /** Receives one line, without its newline. */
  write: (line: string) => void;
  intervalMs?: number;
}): StatusSummary {
  const print = () => options.write(formatStatus(options.counts()));
  const timer = setInterval(print, options.intervalMs ?? 60_000);
  timer.unref();
  return { print, stop: () => clearInterval(timer) };
}
