/**
 * `npm run bench -- cycle [--n 10000] [--history 1000] [--quiet 100] [--latency 8] [--no-urlwatch] [--seed S] [--keep] [--tsx]`
 * `npm run bench -- cycle --report-from bench/RESULTS-cycle.json` rewrites the Markdown from a run's figures.
 *
 * Check-cycle benchmark against urlwatch (Redline issue 4). N statement pages of ~8 KB are
 * served by a private nginx on 127.0.0.1 (ETag/Last-Modified on). Three phases on the same
 * pages, each run by Redline (a fresh child process running checkAll at concurrency 16, as
 * `redline check` does) and then by urlwatch (Debian's package, headless, stdout reporter):
 * first check, unchanged check, and 10% of the pages changed by one sentence. Pages/s is
 * N over the whole process's wall time for both; peak RSS is time(1)'s. Then: the unchanged
 * cycle as history grows to 100 versions per source, and alert latency under `redline watch`.
 * Prints a Markdown report and writes it to bench/RESULTS-cycle.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyBench, median, type HistoryLevel } from './cycle/history.js';
import { latencyBench, type LatencyResult } from './cycle/latency.js';
import { startNginx } from './cycle/nginx.js';
import { pickPages, writeAllPages, writePage } from './cycle/pages.js';
import { repoRoot, runRedlineCycle, useBuild, writeWatchList, type RedlineRun } from './cycle/redline.js';
import { buildForBench } from './cycle/build.js';
import { runUrlwatch, writeUrlwatchFiles, type UrlwatchRun } from './cycle/urlwatch.js';
import { settleDisk } from './cycle/proc.js';
import { formatReport, type PhaseRow, type ReportInput } from './cycle/report.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Args {
  n: number;
  history: number;
  quiet: number;
  latency: number;
  urlwatch: boolean;
  seed: number;
  keep: boolean;
  tsx: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { n: 10_000, history: 1000, quiet: 100, latency: 8, urlwatch: true, seed: 20240601, keep: false, tsx: false, out: join(here, 'RESULTS-cycle.md') };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new Error(`${flag} needs a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--n') a.n = num(flag, argv[++i], 10);
    else if (flag === '--history') a.history = num(flag, argv[++i], 0);
    else if (flag === '--latency') a.latency = num(flag, argv[++i], 0);
    else if (flag === '--quiet') a.quiet = num(flag, argv[++i], 0);
    else if (flag === '--seed') a.seed = num(flag, argv[++i], 0);
    else if (flag === '--out') a.out = argv[++i] ?? a.out;
    else if (flag === '--no-urlwatch') a.urlwatch = false;
    else if (flag === '--keep') a.keep = true;
    else if (flag === '--tsx') a.tsx = true;
    else throw new Error(`unknown option ${flag}; options: --n N, --history N (0 skips), --quiet CHECKS (0 skips), --latency SAMPLES (0 skips), --no-urlwatch, --seed S, --out FILE, --keep, --tsx`);
  }
  a.history = Math.min(a.history, a.n);
  return a;
}

function log(line: string): void {
  process.stderr.write(`[cycle] ${line}\n`);
}

/** nginx, urlwatch and time(1) from Debian's packages, installed by the project script when missing. */
function ensureTools(): void {
  const need = ['/usr/sbin/nginx', '/usr/bin/urlwatch', '/usr/bin/time'];
  if (need.every((p) => existsSync(p))) return;
  log('installing missing Debian packages (scripts/ensure-debian.sh)…');
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'ensure-debian.sh'), 'nginx', 'urlwatch', 'time'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/ensure-debian.sh failed (exit ${r.status}); install nginx, urlwatch and time, then run the bench again`);
}

function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '?';
}

function check(what: string, ok: boolean, detail: string): void {
  if (!ok) throw new Error(`${what}: ${detail}`);
}

export async function run(argv: string[]): Promise<void> {
  const from = argv.indexOf('--report-from');
  if (from >= 0) {
    const file = argv[from + 1];
    if (!file) throw new Error('--report-from needs the .json file a run wrote beside its report');
    const rest = argv.filter((_, i) => i !== from && i !== from + 1);
    writeReport(JSON.parse(readFileSync(file, 'utf8')) as Omit<ReportInput, 'median'>, parseArgs(rest).out);
    return;
  }
  const args = parseArgs(argv);
  // Made now: a missing folder found only when the report is written would cost the whole run.
  mkdirSync(dirname(args.out), { recursive: true });
  ensureTools();
  if (args.tsx) log('running Redline under tsx (TypeScript sources)');
  else useBuild(buildForBench(repoRoot));
  const dir = mkdtempSync(join(tmpdir(), 'redline-cycle-'));
  const docRoot = join(dir, 'www');
  log(`work folder ${dir}; writing ${args.n} pages…`);
  const bytes = writeAllPages(docRoot, args.seed, args.n);
  const nginx = await startNginx(dir, docRoot);
  log(`nginx on ${nginx.origin}; ${args.n} pages, ${(bytes / args.n / 1024).toFixed(1)} KB on average`);
  const indices = Array.from({ length: args.n }, (_, i) => i);
  const rows: PhaseRow[] = [];
  let history: HistoryLevel[] = [];
  let latency: LatencyResult | undefined;
  try {
    const config = join(dir, 'redline.yaml');
    const alertsFile = join(dir, 'alerts.jsonl');
    writeWatchList(config, { archive: join(dir, 'archive'), origin: nginx.origin, indices, alertsYaml: `  - type: jsonl\n    path: ${JSON.stringify(alertsFile)}` });
    const uw = writeUrlwatchFiles(join(dir, 'urlwatch'), nginx.origin, indices);

    // Warm-up: the first process pays for a cold page cache of the compiled files; no phase should.
    const warm = join(dir, 'warm.yaml');
    writeWatchList(warm, { archive: join(dir, 'warm-archive'), origin: nginx.origin, indices: [0] });
    await runRedlineCycle(warm, dir);

    const changedCount = Math.max(1, Math.round(args.n / 10));
    for (const phase of ['first', 'unchanged', 'changed'] as const) {
      if (phase === 'changed') for (const i of pickPages(args.seed + 1, args.n, changedCount)) writePage(docRoot, args.seed, i, 1);
      const load = loadavg()[0]!;
      log(`${phase}: Redline…`);
      settleDisk();
      const r: RedlineRun = await runRedlineCycle(config, dir);
      const expected = phase === 'first' ? { new: args.n } : phase === 'unchanged' ? { unchanged: args.n } : { changed: changedCount, unchanged: args.n - changedCount };
      for (const [k, v] of Object.entries(expected)) {
        check(`Redline ${phase} cycle`, r.counts[k as keyof RedlineRun['counts']] === v, `expected ${v} ${k}, got ${JSON.stringify(r.counts)}; ${r.failures.join(' | ')}`);
      }
      log(`${phase}: Redline ${(r.wallMs / 1000).toFixed(2)} s (cycle ${(r.cycleMs / 1000).toFixed(2)} s), ${(r.processRssKB / 1024).toFixed(0)} MB; ${JSON.stringify(r.counts)}, ${r.alertsDelivered} alerts`);
      let u: UrlwatchRun | undefined;
      if (args.urlwatch) {
        log(`${phase}: urlwatch…`);
        settleDisk();
        u = await runUrlwatch(uw, dir);
        const reported = phase === 'first' ? u.reported.NEW : phase === 'changed' ? u.reported.CHANGED : Object.values(u.reported).reduce((a, b) => a + b, 0);
        const want = phase === 'first' ? args.n : phase === 'changed' ? changedCount : 0;
        check(`urlwatch ${phase} run`, (reported ?? 0) === want, `expected ${want} reported jobs, got ${JSON.stringify(u.reported)}`);
        log(`${phase}: urlwatch ${(u.wallMs / 1000).toFixed(2)} s, ${(u.maxRssKB / 1024).toFixed(0)} MB; ${JSON.stringify(u.reported)}`);
      }
      rows.push({ phase, pages: args.n, redline: r, urlwatch: u, load });
    }

    if (args.history > 0) {
      history = await historyBench({ dir, origin: nginx.origin, seed: args.seed, indices: indices.slice(0, args.history), quietChecks: args.quiet, log });
    }
    if (args.latency > 0) {
      const extra = [args.n, args.n + 1, args.n + 2];
      latency = await latencyBench({ dir, docRoot, origin: nginx.origin, seed: args.seed, indices: extra, samples: args.latency, log });
    }
  } finally {
    await nginx.stop();
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }

  const input: Omit<ReportInput, 'median'> = {
    rows,
    history,
    latency,
    n: args.n,
    historyN: args.history,
    env: {
      node: process.version,
      urlwatch: versionOf('/usr/bin/urlwatch', ['--version']),
      nginx: versionOf('/usr/sbin/nginx', ['-v']),
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
      date: new Date().toISOString().slice(0, 10),
      runtime: args.tsx ? 'TypeScript sources under tsx' : 'compiled JavaScript (TypeScript transpileModule of src/, as the installed CLI runs)',
    },
  };
  // The figures as measured, so the Markdown can be regenerated (--report-from) without a rerun.
  writeFileSync(args.out.replace(/\.md$/, '') + '.json', `${JSON.stringify(input, null, 1)}\n`);
  writeReport(input, args.out);
}

function writeReport(input: Omit<ReportInput, 'median'>, out: string): void {
  const report = formatReport({ ...input, median });
  process.stdout.write(report);
  writeFileSync(out, report);
  log(`wrote ${out}`);
}
