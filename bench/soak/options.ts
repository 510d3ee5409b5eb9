/** Command-line options of `npm run bench -- soak`. */
import { isAbsolute, resolve } from 'node:path';

export interface SoakArgs {
  minutes: number;
  n: number;
  every: number;
  changeEvery: number;
  changes: number;
  sample: number;
  /** Pages going 404 (removal) and, as many again, pages going 403 (failing). */
  flaps: number;
  seed: number;
  out: string;
  redline: string;
  /** Node binary for the watch process (default: the one running the bench). */
  node: string;
  keep: boolean;
  /** A deliberate JavaScript leak in the watch process, MB per hour (0: none); see soak/leak-canary.cjs. */
  leakMBh: number;
  /** Minutes after the watch starts at which to write a heap snapshot (soak/heap-snapshots.cjs); empty: none. */
  heapSnapshots: number[];
  /** Rewrite the Markdown from a run's .json instead of running. */
  reportFrom?: string;
}

export const USAGE =
  'npm run bench -- soak [--minutes 120] [--n 1000] [--every 30] [--change-every 60] [--changes 10] [--sample 10] ' +
  '[--flaps 5] [--seed S] [--leak MB_PER_HOUR] [--heap-snapshots MIN,MIN,...] [--out bench/RESULTS-soak.md] [--redline DIR] [--node BIN] [--keep] | --report-from FILE.json [--out FILE.md]';

/** Seconds a 6-field `*\/N` can step by and still tick evenly: N must divide 60. */
const EVEN_STEPS = [2, 3, 4, 5, 6, 10, 12, 15, 20, 30];

export function parseSoakArgs(argv: string[], defaults: { out: string; redline: string }): SoakArgs {
  const a: SoakArgs = { minutes: 120, n: 1000, every: 30, changeEvery: 60, changes: 10, sample: 10, flaps: 5, seed: 20240601, out: defaults.out, redline: defaults.redline, node: process.execPath, keep: false, leakMBh: 0, heapSnapshots: [] };
  const value = (flag: string, v: string | undefined): string => {
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value. Usage: ${USAGE}`);
    return v;
  };
  const num = (flag: string, v: string | undefined, min: number, integer = true): number => {
    const x = Number(value(flag, v));
    if (!Number.isFinite(x) || x < min || (integer && !Number.isInteger(x))) {
      throw new Error(`${flag} needs ${integer ? 'a whole number' : 'a number'} ≥ ${min}, got ${JSON.stringify(v)}`);
    }
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--minutes') a.minutes = num(flag, argv[++i], 1, false);
    else if (flag === '--n') a.n = num(flag, argv[++i], 10);
    else if (flag === '--every') a.every = num(flag, argv[++i], 2);
    else if (flag === '--change-every') a.changeEvery = num(flag, argv[++i], 1);
    else if (flag === '--changes') a.changes = num(flag, argv[++i], 0);
    else if (flag === '--sample') a.sample = num(flag, argv[++i], 1);
    else if (flag === '--flaps') a.flaps = num(flag, argv[++i], 0);
    else if (flag === '--seed') a.seed = num(flag, argv[++i], 0);
    else if (flag === '--leak') a.leakMBh = num(flag, argv[++i], 0, false);
    else if (flag === '--heap-snapshots') a.heapSnapshots = minutesList(flag, value(flag, argv[++i]));
    else if (flag === '--out') a.out = value(flag, argv[++i]);
    else if (flag === '--redline') a.redline = value(flag, argv[++i]);
    else if (flag === '--node') a.node = value(flag, argv[++i]);
    else if (flag === '--report-from') a.reportFrom = value(flag, argv[++i]);
    else if (flag === '--keep') a.keep = true;
    else throw new Error(`unknown option ${flag}. Usage: ${USAGE}`);
  }
  const late = a.heapSnapshots.filter((m) => m >= a.minutes);
  if (late.length) throw new Error(`--heap-snapshots ${late.join(',')}: the run ends at ${a.minutes} min (--minutes); take snapshots before then`);
  if (!EVEN_STEPS.includes(a.every)) {
    throw new Error(`--every ${a.every}: the schedule is "*/${a.every} * * * * *", which ticks evenly only when the step divides 60; use one of ${EVEN_STEPS.join(', ')}`);
  }
  if (2 * a.flaps + a.changes > a.n) {
    throw new Error(`--n ${a.n} is too small for ${a.flaps} + ${a.flaps} flapping pages and ${a.changes} changes per round: use --n ≥ ${2 * a.flaps + a.changes}`);
  }
  // npm runs scripts in the package folder; relative paths mean the folder the user typed them in.
  const base = process.env.INIT_CWD ?? process.cwd();
  a.out = isAbsolute(a.out) ? a.out : resolve(base, a.out);
  a.redline = resolve(base, a.redline);
  if (a.reportFrom) a.reportFrom = resolve(base, a.reportFrom);
  if (a.node.includes('/')) a.node = resolve(base, a.node);
  return a;
}

function minutesList(flag: string, v: string): number[] {
  const list = v.split(',').map((x) => Number(x.trim()));
  if (list.some((m) => !Number.isFinite(m) || m <= 0) || list.some((m, i) => i > 0 && m <= list[i - 1]!)) {
    throw new Error(`${flag} needs minutes after the start, rising and > 0, separated by commas (e.g. 30,80,130); got ${JSON.stringify(v)}`);
  }
  return list;
}
