/**
 * The process under test: `node <redline>/dist/cli/main.js -c <list> watch`, with its JSON log
 * (pino, one line per check at level info) read as it comes and folded into counts, so hours
 * of log cost the bench a few counters and not the whole text.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HeapPoint } from './analysis.js';

export interface WatchLog {
  /**
   * Finished checks: the scheduler's "check" line (it has `ms`) or its "check failed"/"check
   * aborted" warning. The check itself logs a second "check" line (no `ms`) for the same check;
   * those are counted apart, in checkLinesFromCore, and give the versions seen.
   */
  checks: number;
  checkLinesFromCore: number;
  outcomes: Record<string, number>;
  events: Record<string, number>;
  /** Newest stored version seen per source (from new/changed checks). */
  version: Map<string, number>;
  warnings: number;
  /** Of the warnings: deliveries the bench's receiver refused on purpose (expected, not problems). */
  refusedWarnings: number;
  errors: number;
  /** The last few warning/error messages and unparseable lines. */
  problems: string[];
  nonJson: number;
  /** The watch's "heap compacted" lines: the live heap (and RSS) right after each 2-minute compaction. */
  compactions: (Omit<HeapPoint, 't'> & { wallMs: number })[];
  /** The "stopped" line (the service's final counts), once it is printed. */
  stopped?: Record<string, unknown>;
}

export interface WatchExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WatchProcess {
  pid: number;
  log: WatchLog;
  exited(): WatchExit | undefined;
  exit: Promise<WatchExit>;
  /** The last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; `killed` says the second was needed. */
  stop(graceMs: number): Promise<WatchExit & { killed: boolean }>;
}

export interface WatchOptions {
  /** The Node binary that runs the CLI. */
  node: string;
  main: string;
  config: string;
  cwd: string;
  /** MB/h of deliberate leak (soak/leak-canary.cjs); 0 or absent for none. */
  leakMBh?: number;
  /** Heap snapshots (soak/heap-snapshots.cjs): at these minutes, into that folder. */
  heapSnapshots?: { minutes: number[]; dir: string };
}

const CANARY = fileURLToPath(new URL('./leak-canary.cjs', import.meta.url));
const SNAPSHOTS = fileURLToPath(new URL('./heap-snapshots.cjs', import.meta.url));

const PROBLEMS_KEPT = 12;
/** The text the receiver answers its deliberate 500s with (receiver.ts); Redline quotes it in its warning. */
export const REFUSED_MARK = 'refused on purpose by the soak bench';

export function foldLine(log: WatchLog, line: string): void {
  if (!line.trim()) return;
  const note = (text: string) => {
    log.problems.push(text.length > 400 ? `${text.slice(0, 400)}…` : text);
    if (log.problems.length > PROBLEMS_KEPT) log.problems.shift();
  };
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    log.nonJson++;
    note(line);
    return;
  }
  const level = Number(entry.level);
  if (level >= 50) log.errors++;
  else if (level >= 40) log.warnings++;
  if (level >= 40 && level < 50 && line.includes(REFUSED_MARK)) log.refusedWarnings++;
  else if (level >= 40) note(line);
  if (entry.msg === 'check' && typeof entry.ms === 'number') {
    log.checks++;
    const outcome = String(entry.outcome);
    log.outcomes[outcome] = (log.outcomes[outcome] ?? 0) + 1;
    // Since 97be307 this (the scheduler's) is the only line per check; older builds also log the core's.
    if ((outcome === 'new' || outcome === 'changed') && typeof entry.source === 'string' && typeof entry.version === 'number') {
      log.version.set(entry.source, entry.version);
    }
    if (Array.isArray(entry.events)) for (const e of entry.events) log.events[String(e)] = (log.events[String(e)] ?? 0) + 1;
  } else if (entry.msg === 'check') {
    log.checkLinesFromCore++;
    const outcome = String(entry.outcome);
    if ((outcome === 'new' || outcome === 'changed') && typeof entry.source === 'string' && typeof entry.version === 'number') {
      log.version.set(entry.source, entry.version);
    }
  } else if (entry.msg === 'check failed' || entry.msg === 'check aborted') {
    log.checks++;
    log.outcomes.threw = (log.outcomes.threw ?? 0) + 1;
  } else if (entry.msg === 'heap compacted' && typeof entry.heapUsedMB === 'number') {
    const total = typeof entry.heapTotalMB === 'number' ? { heapTotalMB: entry.heapTotalMB } : {};
    log.compactions.push({ wallMs: Date.parse(String(entry.time)), heapUsedMB: entry.heapUsedMB, rssMB: Number(entry.rssMB), ...total });
  } else if (entry.msg === 'stopped') {
    log.stopped = entry;
  }
}

export function emptyLog(): WatchLog {
  return { checks: 0, checkLinesFromCore: 0, outcomes: {}, events: {}, version: new Map(), warnings: 0, refusedWarnings: 0, errors: 0, problems: [], nonJson: 0, compactions: [] };
}

/**
 * The environment that loads the bench's helpers into the watch process alone (the leak
 * canary, the heap snapshots); the user's NODE_OPTIONS are kept. Empty when neither is asked for.
 */
export function preloadEnv(o: Pick<WatchOptions, 'leakMBh' | 'heapSnapshots'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const files: string[] = [];
  if (o.leakMBh) {
    files.push(CANARY);
    env.REDLINE_LEAK_MB_PER_HOUR = String(o.leakMBh);
  }
  if (o.heapSnapshots?.minutes.length) {
    files.push(SNAPSHOTS);
    env.REDLINE_HEAP_SNAPSHOTS = o.heapSnapshots.minutes.join(',');
    env.REDLINE_HEAP_SNAPSHOT_DIR = o.heapSnapshots.dir;
  }
  if (!files.length) return env;
  env.NODE_OPTIONS = [process.env.NODE_OPTIONS, ...files.map((f) => `--require ${JSON.stringify(f)}`)].filter(Boolean).join(' ');
  return env;
}

export function startWatch(o: WatchOptions): WatchProcess {
  // LOG_LEVEL=info: the check lines are what the bench counts, whatever the caller's environment says.
  const child = spawn(o.node, [o.main, '-c', o.config, 'watch'], {
    cwd: o.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...preloadEnv(o) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${o.node} ${o.main} watch (config ${o.config})`);
  const log = emptyLog();
  let tail = '';
  // Each stream keeps its own unfinished last line; both feed the same log and tail.
  const readLines = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-6000);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) foldLine(log, line);
    });
    // 'end' comes before the child's 'close': a last line without a newline is still counted.
    stream.on('end', () => {
      if (rest) foldLine(log, rest);
    });
  };
  readLines(child.stdout);
  readLines(child.stderr);
  let result: WatchExit | undefined;
  const exit = new Promise<WatchExit>((resolve) => {
    child.once('close', (code, signal) => {
      result = { code, signal };
      resolve(result);
    });
  });
  return {
    pid: child.pid,
    log,
    exited: () => result,
    exit,
    tail: () => tail.trim().split('\n').slice(-10).join('\n'),
    async stop(graceMs) {
      if (result) return { ...result, killed: false };
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([exit.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timer);
      if (late) child.kill('SIGKILL');
      const r = await exit;
      return { ...r, killed: late };
    },
  };
}
