/**
 * `npm run bench -- soak [--minutes 120] [--n 1000] [--every 30] [--change-every 60] [--changes 10]
 *   [--sample 10] [--flaps 5] [--seed S] [--out bench/RESULTS-soak.md] [--redline DIR] [--node BIN] [--keep]`
 * `npm run bench -- soak --report-from FILE.json [--out FILE.md]` rewrites the Markdown from a run's figures.
 *
 * Issue 4 says `redline watch` runs for hours without growing memory. This runs the real compiled
 * CLI (`node DIR/dist/cli/main.js -c <list> watch`; DIR defaults to this checkout, `npm run build`
 * makes dist/) against N pages on a private nginx, rewrites pages while it runs, takes a few
 * pages away and brings them back (404 → removed/restored, 403 → failing/recovered), receives
 * the alerts through a signed webhook (plus a jsonl file and an Atom feed), samples the
 * process's RSS, CPU and disk use from /proc, and at the end checks that every alert arrived
 * and the process exits 0 on SIGTERM.
 *
 * For a long run, build a fixed commit in a separate worktree so rebuilding this checkout
 * cannot change the code under test:
 *   git worktree add /tmp/redline-soak <commit> && ln -s /work/main/node_modules /tmp/redline-soak/
 *   (cd /tmp/redline-soak && npm run build) && npm run bench -- soak --redline /tmp/redline-soak
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { prng } from './corpus.js';
import { startNginx } from './cycle/nginx.js';
import { pickPages, writeAllPages } from './cycle/pages.js';
import { repoRoot, sourceId } from './cycle/redline.js';
import { CHANGED_KEY, compareAlerts, compareStatusEvents, ticksBetween, windowFor, type Sample } from './soak/analysis.js';
import { parseSoakArgs, type SoakArgs } from './soak/options.js';
import { countArchive, countAtomEntries, countJsonl } from './soak/outputs.js';
import { SoakPages } from './soak/pages.js';
import { startReceiver } from './soak/receiver.js';
import { formatSoakReport, type SoakResult, type SoakSetup } from './soak/report.js';
import { diskBytes, readProc, writeJsonAtomic } from './soak/sampler.js';
import { startWatch } from './soak/watch.js';
import { writeSoakWatchList } from './soak/watchlist.js';

const here = dirname(fileURLToPath(import.meta.url));
const SECRET = 'soak-bench-secret';
const REFUSE_SHARE = 0.05;
/** Loop step: fine enough for the flap phases and the sample clock, cheap on a shared machine. */
const STEP_MS = 250;

function log(line: string): void {
  process.stderr.write(`[soak] ${line}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function git(dir: string, args: string[]): string {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : name.endsWith('.ts') ? st.mtimeMs : 0);
  }
  return newest;
}

/** The commit under test, and a warning when dist/ may not be that commit's code. */
function describeBuild(dir: string, main: string): { commit: string; note?: string } {
  const commit = git(dir, ['rev-parse', '--short', 'HEAD']) || 'unknown commit (not a git checkout)';
  const notes: string[] = [];
  if (git(dir, ['status', '--porcelain', '--', 'src', 'package.json', 'tsconfig.build.json'])) notes.push('src/ has uncommitted changes');
  if (existsSync(join(dir, 'src')) && newestMtime(join(dir, 'src')) > statSync(main).mtimeMs) notes.push('dist/ is older than src/ (run npm run build)');
  return { commit, note: notes.length ? notes.join('; ') : undefined };
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '?';
}

function ensureNginx(): void {
  if (existsSync('/usr/sbin/nginx')) return;
  log('installing nginx (scripts/ensure-debian.sh)…');
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'ensure-debian.sh'), 'nginx'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/ensure-debian.sh nginx failed (exit ${r.status}); install nginx, then run the bench again`);
}

function writeReport(result: SoakResult, out: string): void {
  const md = formatSoakReport(result);
  writeFileSync(out, md);
  process.stdout.write(md);
  log(`wrote ${out}`);
}

export async function run(argv: string[]): Promise<void> {
  const args = parseSoakArgs(argv, { out: join(here, 'RESULTS-soak.md'), redline: repoRoot });
  // Samples are written beside the report as the run goes, so the folder must exist from the start.
  mkdirSync(dirname(args.out), { recursive: true });
  if (args.reportFrom) {
    writeReport(JSON.parse(readFileSync(args.reportFrom, 'utf8')) as SoakResult, args.out);
    return;
  }
  const main = join(args.redline, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} not found: run \`npm run build\` in ${args.redline} (or point --redline at a built checkout)`);
  ensureNginx();
  const build = describeBuild(args.redline, main);
  if (build.note) log(`warning: ${build.note}`);
  const base = args.out.replace(/\.md$/, '');
  const setup: SoakSetup = {
    command: `npm run bench -- soak ${argv.join(' ')}`.trim(),
    date: new Date().toISOString().slice(0, 10),
    n: args.n,
    everySec: args.every,
    changeEverySec: args.changeEvery,
    changesPerRound: args.changes,
    sampleSec: args.sample,
    minutes: args.minutes,
    seed: args.seed,
    flapsPerKind: args.flaps,
    // Away long enough for the removal (3 checks spanning a period) with room for jitter and a late
    // tick; served long enough for a successful check to end the run of failures.
    flapOnSec: 4 * args.every,
    flapOffSec: 6 * args.every,
    policy: { removalConfirmations: 3, removalMinSec: args.every, failingAfter: 3 },
    refuseShare: REFUSE_SHARE,
    redlineDir: args.redline,
    commit: build.commit,
    buildNote: build.note,
    node: firstLine(args.node, ['--version']),
    nginx: firstLine('/usr/sbin/nginx', ['-v']),
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    loadAtStart: loadavg()[0]!,
    ...(args.leakMBh ? { leakMBh: args.leakMBh } : {}),
    ...(args.heapSnapshots.length ? { heapSnapshots: { minutes: args.heapSnapshots, dir: `${base}-heap` } } : {}),
  };
  if (setup.heapSnapshots) mkdirSync(setup.heapSnapshots.dir, { recursive: true });
  const result = await soak(args, setup, main, `${base}-samples.json`);
  writeJsonAtomic(`${base}.json`, result);
  writeReport(result, args.out);
}

async function soak(args: SoakArgs, setup: SoakSetup, main: string, samplesFile: string): Promise<SoakResult> {
  const dir = mkdtempSync(join(tmpdir(), 'redline-soak-'));
  const docRoot = join(dir, 'www');
  const archive = join(dir, 'archive');
  const jsonlPath = join(dir, 'alerts.jsonl');
  const atomPath = join(dir, 'alerts.xml');
  log(`work folder ${dir}; Redline ${setup.commit} from ${main}; writing ${args.n} pages…`);
  writeAllPages(docRoot, args.seed, args.n);
  const flapping = pickPages(args.seed + 2, args.n, 2 * args.flaps);
  const pages = new SoakPages(docRoot, args.seed, args.n, { gone: flapping.slice(0, args.flaps), broken: flapping.slice(args.flaps) });
  const nginx = await startNginx(dir, docRoot);
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  // The watch's log lines carry wall-clock times; this puts them on the samples' clock.
  const wallAtT0 = Date.now() - now();
  const receiver = await startReceiver({ secret: SECRET, refuseShare: REFUSE_SHARE, seed: args.seed + 3, now });
  const config = join(dir, 'redline.yaml');
  writeSoakWatchList(config, {
    archive,
    origin: nginx.origin,
    n: args.n,
    everySec: args.every,
    policy: setup.policy,
    webhook: { url: receiver.url, secret: SECRET },
    jsonlPath,
    atomPath,
  });

  const samples: Sample[] = [];
  const expected = new Map<string, number>();
  const changes = { made: 0, rounds: 0, shortRounds: 0 };
  const flapTiming = { onMs: setup.flapOnSec * 1000, offMs: setup.flapOffSec * 1000 };
  const periodMs = args.every * 1000;
  let abort: string | undefined;
  let firstCheckAt: number | undefined;
  let mutationEnd = 0;
  let drainEnd = 0;
  const startWall = Date.now();
  let stopWall = startWall;
  const watch = startWatch({ node: args.node, main, config, cwd: args.redline, leakMBh: args.leakMBh, heapSnapshots: setup.heapSnapshots });
  log(`redline watch pid ${watch.pid} (${setup.node}), ${args.n} sources every ${args.every} s; nginx ${nginx.origin}; webhook ${receiver.url}`);

  const takeSample = () => {
    const p = readProc(watch.pid);
    if (!p) return;
    samples.push({
      t: now(),
      ...p,
      archiveBytes: diskBytes(archive),
      outboxBytes: diskBytes(join(archive, 'outbox')),
      load1: loadavg()[0]!,
      checks: watch.log.checks,
      changesMade: changes.made,
      alertsReceived: receiver.stats.accepted,
    });
    writeJsonAtomic(samplesFile, { setup, samples });
  };
  // The first reading one interval in: at the spawn the process is not yet Node.
  let nextSample = args.sample * 1000;
  const sampleIfDue = () => {
    if (now() < nextSample) return;
    takeSample();
    nextSample += args.sample * 1000;
  };
  // Ctrl-C or a kill ends the run like an early exit: the watch process and nginx are stopped
  // and the report says why, instead of leaving both running without their parent.
  let interrupted: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= `the bench was stopped by ${signal} ${fmtAt(now())}`;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const died = () => {
    if (interrupted) return interrupted;
    const e = watch.exited();
    return e ? `redline watch exited early (code ${e.code}, signal ${e.signal}) ${fmtAt(now())}:\n${watch.tail()}` : undefined;
  };

  let exit: SoakResult['exit'] = { code: null, signal: null, killed: false };
  try {
    // 1. Every source holds version 1 before anything changes (a change before the first check is no change).
    const firstBound = Math.max(300_000, 10 * periodMs);
    while (watch.log.version.size < args.n) {
      sampleIfDue();
      abort = died() ?? (now() > firstBound ? `only ${watch.log.version.size} of ${args.n} sources were stored within ${firstBound / 1000} s of the start` : undefined);
      if (abort) break;
      await sleep(STEP_MS);
    }
    firstCheckAt = now();
    if (!abort) log(`first check of all ${args.n} sources done ${fmtAt(firstCheckAt)}; changing pages until ${args.minutes} min`);

    // 2. Changes and flaps until --minutes after the start.
    const rnd = prng(args.seed + 4);
    const flapStart = now();
    let nextChange = now() + args.changeEvery * 1000;
    const endAt = args.minutes * 60_000;
    let lastProgress = now();
    while (!abort && now() < endAt) {
      const t = now();
      sampleIfDue();
      pages.flapTick(t - flapStart, t, flapTiming, false);
      if (t >= nextChange) {
        changeRound(args, pages, watch.log.version, rnd, t, expected, changes);
        nextChange += args.changeEvery * 1000;
      }
      if (t - lastProgress > 60_000) {
        lastProgress = t;
        const last = samples[samples.length - 1];
        log(`${fmtAt(t)}: ${watch.log.checks} checks, ${changes.made} revisions, ${receiver.stats.accepted} alerts accepted${last ? `, RSS ${(last.rssKB / 1024).toFixed(1)} MB` : ''}`);
      }
      abort = died();
      await sleep(STEP_MS);
    }
    mutationEnd = now();

    // 3. Drain: pages away come back after their full off phase; then every alert owed must arrive.
    if (!abort) log(`changes stopped ${fmtAt(mutationEnd)}; bringing flapping pages back and waiting for ${expected.size} "changed" alerts and the status events`);
    let allBackAt: number | undefined;
    const drainBound = Math.max(300_000, 12 * periodMs);
    while (!abort) {
      const t = now();
      sampleIfDue();
      pages.flapTick(t - flapStart, t, flapTiming, true);
      if (allBackAt === undefined && !pages.anyAway()) allBackAt = t;
      if (allBackAt !== undefined) {
        const missingChanged = [...expected.keys()].some((k) => !receiver.accepted.has(k));
        const statusShort = compareStatusEvents(pages.expectedStatusEvents(sourceId), receiver.accepted.keys()).some((e) => e.received < e.expected);
        if (!missingChanged && !statusShort) break;
        if (t - allBackAt > drainBound) {
          log(`gave up waiting after ${drainBound / 1000} s: alerts still missing (see the report)`);
          break;
        }
      }
      abort = died();
      await sleep(STEP_MS);
    }
    drainEnd = now();
    const last = samples[samples.length - 1];
    if (!last || drainEnd - last.t >= (args.sample * 1000) / 2) takeSample();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stopWall = Date.now();
    log('stopping redline watch (SIGTERM)…');
    exit = await watch.stop(90_000);
    await receiver.close();
    await nginx.stop();
  }
  log(`redline watch exited: code ${exit.code}, signal ${exit.signal}${exit.killed ? ' (killed after 90 s)' : ''}`);

  const archiveCounts = countArchive(archive);
  const jsonl = countJsonl(jsonlPath);
  const isChanged = (k: string) => CHANGED_KEY.test(k);
  const latencyPeriods: number[] = [];
  for (const [key, at] of expected) {
    const got = receiver.firstAcceptedAt.get(key);
    if (got !== undefined) latencyPeriods.push((got - at) / periodMs);
  }
  const durationMs = drainEnd || now();
  const windowMs = windowFor(durationMs);
  const result: SoakResult = {
    setup,
    samples,
    windowMs,
    activeMs: durationMs,
    mutationMs: mutationEnd - (firstCheckAt ?? mutationEnd),
    drainMs: drainEnd ? drainEnd - mutationEnd : 0,
    abort,
    firstCheckDone: firstCheckAt !== undefined && !abort,
    scheduled: args.n * ticksBetween(startWall, stopWall, args.every),
    watchLog: {
      checks: watch.log.checks, checkLinesFromCore: watch.log.checkLinesFromCore, outcomes: watch.log.outcomes, events: watch.log.events, warnings: watch.log.warnings,
      refusedWarnings: watch.log.refusedWarnings, errors: watch.log.errors, nonJson: watch.log.nonJson, problems: watch.log.problems, stopped: watch.log.stopped,
    },
    archive: archiveCounts,
    changes,
    webhook: compareAlerts(expected.keys(), receiver.accepted, isChanged),
    jsonl: { ...compareAlerts(expected.keys(), jsonl.perKey, isChanged), lines: jsonl.lines, badLines: jsonl.badLines },
    atom: countAtomEntries(atomPath),
    statusEvents: compareStatusEvents(pages.expectedStatusEvents(sourceId), receiver.accepted.keys()),
    receiver: receiver.stats,
    liveHeap: watch.log.compactions.map(({ wallMs, ...c }) => ({ t: wallMs - wallAtT0, ...c })),
    latencyPeriods,
    exit: { code: exit.code, signal: exit.signal, killed: exit.killed },
  };
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
  return result;
}

/** Elapsed time since the start, for progress lines ("at 12.5 min"). */
function fmtAt(ms: number): string {
  return `at ${(ms / 60_000).toFixed(1)} min`;
}

/**
 * One round of revisions: pages whose last revision Redline has stored (so each revision
 * becomes exactly one version) and last written over a second ago (nginx's ETag and
 * Last-Modified have 1 s resolution), none of the flapping ones.
 */
function changeRound(
  args: SoakArgs, pages: SoakPages, stored: ReadonlyMap<string, number>, rnd: () => number, t: number,
  expected: Map<string, number>, changes: { made: number; rounds: number; shortRounds: number },
): void {
  const ready: number[] = [];
  for (let i = 0; i < args.n; i++) {
    if (pages.isFlapping(i)) continue;
    if (stored.get(sourceId(i)) !== pages.rev[i]! + 1) continue;
    if (t - pages.writtenAt[i]! < 1100) continue;
    ready.push(i);
  }
  const count = Math.min(args.changes, ready.length);
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor(rnd() * (ready.length - k));
    [ready[k], ready[j]] = [ready[j]!, ready[k]!];
    const i = ready[k]!;
    const rev = pages.change(i, t);
    expected.set(`${sourceId(i)}@v${rev + 1}`, t);
  }
  changes.made += count;
  changes.rounds++;
  if (count < args.changes) changes.shortRounds++;
}
