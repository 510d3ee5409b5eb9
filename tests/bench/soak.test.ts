/** The soak bench's analysis and small parts: fast, no processes, no network. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareAlerts, compareStatusEvents, DEFAULT_RULE, leastSquaresFit, leastSquaresSlope, liveHeapSpans, liveHeapTrend, memoryVerdict, ticksBetween, warmupFor, windowFor, windowStats, type Sample,
} from '../../bench/soak/analysis.js';
import { parseSoakArgs } from '../../bench/soak/options.js';
import { flapPhase } from '../../bench/soak/pages.js';
import { signatureValid } from '../../bench/soak/receiver.js';
import { formatSoakReport, type SoakResult } from '../../bench/soak/report.js';
import { emptyLog, foldLine, REFUSED_MARK } from '../../bench/soak/watch.js';
import { writeSoakWatchList } from '../../bench/soak/watchlist.js';
import { loadWatchList } from '../../src/core/watchlist.js';

const MIN = 60_000;

/** One sample per 10 s for `minutes`, RSS = rssAt(t) in KB. */
function series(minutes: number, rssAt: (t: number) => number): Sample[] {
  const out: Sample[] = [];
  let hwm = 0;
  for (let t = 0; t <= minutes * MIN; t += 10_000) {
    const rss = rssAt(t);
    hwm = Math.max(hwm, rss);
    out.push({ t, rssKB: rss, hwmKB: hwm, cpuMs: t / 10, archiveBytes: 0, outboxBytes: 0, load1: 1, checks: 0, changesMade: 0, alertsReceived: 0 });
  }
  return out;
}

const rule = { windowMs: 10 * MIN, warmupMs: 10 * MIN, ...DEFAULT_RULE };

describe('memory analysis', () => {
  it('groups samples into windows with min, median, max, the peak so far and the CPU share', () => {
    const s = series(30, (t) => (t < 10 * MIN ? 200_000 : 100_000 + (t % 20_000 === 0 ? 1024 : 0)));
    const w = windowStats(s, 10 * MIN);
    expect(w.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    expect(w[0]).toMatchObject({ samples: 60, rssMinKB: 200_000, rssMaxKB: 200_000, hwmEndKB: 200_000 });
    expect(w[1]).toMatchObject({ samples: 60, rssMinKB: 100_000, rssMaxKB: 101_024, hwmEndKB: 200_000 });
    expect(w[1]!.rssMedianKB).toBe(100_512);
    expect(w[1]!.cpuShare).toBeCloseTo(0.1, 6);
    expect(w[3]!.samples).toBe(1);
    expect(w[3]!.cpuShare).toBeUndefined();
  });

  it("follows the live heap from the watch's compactions: medians of the first and last window, slope", () => {
    // Every 2 minutes for 60 minutes, growing 0.5 MB an hour from 30 MB; the warm-up left out.
    const points = Array.from({ length: 31 }, (_, i) => ({ t: i * 2 * MIN, heapUsedMB: 30 + (i * 2 * MIN / 3_600_000) * 0.5 + (i === 0 ? 20 : 0), rssMB: 150 }));
    const trend = liveHeapTrend(points, 10 * MIN, 10 * MIN)!;
    expect(trend.compactions).toBe(26);
    expect(trend.slopeMBh).toBeCloseTo(0.5, 9);
    expect(trend.firstMedianMB).toBeCloseTo(30 + (14 / 60) * 0.5, 9);
    expect(trend.lastMedianMB).toBeCloseTo(30.5, 9);
    expect(liveHeapTrend(points.slice(0, 5), 10 * MIN, 10 * MIN)).toBeUndefined();
  });

  it('least squares recovers a known slope, and refuses one x value', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([5, 5], [1, 2])).toBeUndefined();
    expect(leastSquaresSlope([1], [1])).toBeUndefined();
  });

  it('gives the standard error of a slope: zero on a line, the textbook figure on noise', () => {
    expect(leastSquaresFit([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ slope: 2, standardError: 0 });
    expect(leastSquaresFit([0, 1], [0, 1])).toEqual({ slope: 1 });
    // By hand: slope 10 / 5 = 2, residuals ±0.75 around y = 2x - 0.25, se = sqrt(4 × 0.5625 / (4 − 2) / 5).
    const fit = leastSquaresFit([0, 1, 2, 3], [1, 1.5, 3.5, 7])!;
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.standardError).toBeCloseTo(Math.sqrt(0.225), 12);
  });

  it("splits the live heap's rise into half hours: a leak keeps its slope, a settling rise slows", () => {
    const at = (i: number) => i * 2 * MIN;
    const leak = Array.from({ length: 76 }, (_, i) => ({ t: at(i), heapUsedMB: 30 + (at(i) / 3_600_000) * 2, rssMB: 150 }));
    const spans = liveHeapSpans(leak, 30 * MIN, 150 * MIN);
    expect(spans.map((x) => [x.fromMs / MIN, x.toMs / MIN, x.points])).toEqual([[30, 60, 15], [60, 90, 15], [90, 120, 15], [120, 150, 15]]);
    for (const x of spans) expect(x.slopeMBh).toBeCloseTo(2, 9);
    // Rising as the logarithm of time: each half hour's slope below the one before.
    const settling = leak.map((p) => ({ ...p, heapUsedMB: 30 + Math.log(1 + p.t / MIN) }));
    const slopes = liveHeapSpans(settling, 30 * MIN, 150 * MIN).map((x) => x.slopeMBh);
    for (let i = 1; i < slopes.length; i++) expect(slopes[i]).toBeLessThan(slopes[i - 1]!);
    // A last span shorter than half of one is left out; one with under six compactions too.
    expect(liveHeapSpans(leak, 30 * MIN, 140 * MIN).map((x) => x.toMs / MIN)).toEqual([60, 90, 120, 140]);
    expect(liveHeapSpans(leak, 30 * MIN, 100 * MIN).map((x) => x.toMs / MIN)).toEqual([60, 90]);
  });

  it('calls a level RSS with a start-up peak flat, and a slow leak not flat', () => {
    // The first check of every source makes a peak in the warm-up; after it, noise around 120 MB.
    const level = series(120, (t) => (t < 3 * MIN ? 250_000 : 120_000 + ((t / 10_000) % 7) * 300));
    const v = memoryVerdict(level, rule);
    expect(v.flat).toBe(true);
    expect(Math.abs(v.slopeMBh!)).toBeLessThan(0.2);
    expect(v.lastOverFirst).toBeCloseTo(1, 2);
    expect(v.peakRatio).toBe(1);
    expect(v.firstWindow!.index).toBe(1);
    // The trailing window holds one sample (t = 120 min): the last full one counts.
    expect(v.lastWindow!.index).toBe(11);

    // 3 MB/h: under 1.1× over two hours (~1.05) but the slope gives it away.
    const leak = series(120, (t) => 120_000 + (3 * 1024 * t) / 3_600_000);
    const l = memoryVerdict(leak, rule);
    expect(l.slopeMBh).toBeCloseTo(3, 1);
    expect(l.lastOverFirst!).toBeLessThan(1.1);
    expect(l.flat).toBe(false);
    expect(l.why).toMatch(/not below 1/);
  });

  it("reports the later half's slope beside the verdict: a step early on is not growth later", () => {
    // 10 MB more from 25 min on (a working set filling), level after that.
    const step = series(120, (t) => (t < 25 * MIN ? 120_000 : 130_240));
    const v = memoryVerdict(step, rule);
    expect(v.slopeMBh!).toBeGreaterThan(1);
    expect(v.flat).toBe(false);
    expect(v.laterHalfFromMs).toBe(65 * MIN);
    expect(Math.abs(v.laterHalfSlopeMBh!)).toBeLessThan(0.01);
    const leak = memoryVerdict(series(120, (t) => 120_000 + (3 * 1024 * t) / 3_600_000), rule);
    expect(leak.laterHalfSlopeMBh).toBeCloseTo(3, 1);
  });

  it('judges the live heap too: a JavaScript leak under RSS noise is not flat', () => {
    // RSS level with noise; the live heap after each 2-minute compaction grows 1 MB/h from 30 MB.
    const level = series(120, (t) => 120_000 + ((t / 10_000) % 7) * 300);
    const points = Array.from({ length: 61 }, (_, i) => ({ t: i * 2 * MIN, heapUsedMB: 30 + (i * 2) / 60, rssMB: 120 }));
    const v = memoryVerdict(level, rule, points);
    expect(v.live!.slopeMBh).toBeCloseTo(1, 9);
    expect(v.flat).toBe(false);
    expect(v.why).toMatch(/RSS slope -?0\.\d\d MB\/h \(below 1\).*live heap slope 1\.00 MB\/h \(not below 0\.5\)/);
    const steady = points.map((p) => ({ ...p, heapUsedMB: 30 + (p.t % (6 * MIN) ? 0.2 : 0) }));
    expect(memoryVerdict(level, rule, steady).flat).toBe(true);
    expect(memoryVerdict(level, rule).why).toMatch(/judged on RSS alone/);
  });

  it('waits an hour for V8 to settle on runs of two hours or more, half the run on shorter ones', () => {
    expect(warmupFor(145 * MIN, 10 * MIN)).toBe(60 * MIN);
    expect(warmupFor(120 * MIN, 10 * MIN)).toBe(60 * MIN);
    expect(warmupFor(119 * MIN, 10 * MIN)).toBe(50 * MIN);
    expect(warmupFor(20 * MIN, 2 * MIN)).toBe(10 * MIN);
    expect(warmupFor(3 * MIN, 2 * MIN)).toBe(2 * MIN);
  });

  it('cannot tell when nothing is left after the warm-up', () => {
    const v = memoryVerdict(series(8, () => 100_000), rule);
    expect(v.flat).toBeUndefined();
    expect(v.why).toMatch(/too few samples/);
  });

  it('shrinks the window to a round length for short runs and keeps 10 minutes for long ones', () => {
    expect(windowFor(120 * MIN)).toBe(10 * MIN);
    expect(windowFor(60 * MIN)).toBe(10 * MIN);
    expect(windowFor(20 * MIN)).toBe(2 * MIN);
    expect(windowFor(3.5 * MIN)).toBe(30_000);
    expect(windowFor(20_000)).toBe(10_000);
  });
});

describe('alert accounting', () => {
  it('counts missing, unexpected and duplicate keys of one kind', () => {
    const accepted = new Map([['a@v2', 1], ['b@v2', 3], ['x@v9', 1], ['a:removed@4', 2]]);
    const c = compareAlerts(['a@v2', 'b@v2', 'c@v2'], accepted, (k) => /@v\d+$/.test(k));
    expect(c).toEqual({ expected: 3, received: 2, missing: ['c@v2'], unexpected: ['x@v9'], duplicateKeys: 1, extraDeliveries: 2, maxPerKey: 3 });
  });

  it('compares status events as distinct keys per source and event', () => {
    const expected = new Map<string, Record<string, number>>([['s1', { removed: 2, restored: 2 }], ['s2', { failing: 1, recovered: 1 }]]);
    const rows = compareStatusEvents(expected, ['s1:removed@5', 's1:restored@9', 's1:removed@14', 's2:failing@3', 's2:recovered@6', 's3:failing@2', 's1@v3']);
    expect(rows).toEqual([
      { event: 'removed', expected: 2, received: 2, mismatched: [] },
      { event: 'restored', expected: 2, received: 1, mismatched: ['s1 1/2'] },
      { event: 'failing', expected: 1, received: 2, mismatched: ['s3 1/0'] },
      { event: 'recovered', expected: 1, received: 1, mismatched: [] },
    ]);
  });

  it('counts schedule ticks in a wall-clock interval', () => {
    expect(ticksBetween(0, 60_000, 30)).toBe(2);
    expect(ticksBetween(1, 60_001, 30)).toBe(2);
    expect(ticksBetween(29_999, 30_001, 30)).toBe(1);
    expect(ticksBetween(30_001, 59_999, 30)).toBe(0);
  });
});

describe('parts of the run', () => {
  it('staggers flap phases and counts off phases begun', () => {
    const timing = { onMs: 40, offMs: 60 };
    expect(flapPhase(0, 0, 2, timing)).toEqual({ off: false, period: 0 });
    expect(flapPhase(39, 0, 2, timing)).toEqual({ off: false, period: 0 });
    expect(flapPhase(40, 0, 2, timing)).toEqual({ off: true, period: 1 });
    expect(flapPhase(100, 0, 2, timing)).toEqual({ off: false, period: 1 });
    expect(flapPhase(140, 0, 2, timing)).toEqual({ off: true, period: 2 });
    // Slot 1 of 2 starts half a cycle later.
    expect(flapPhase(40, 1, 2, timing)).toEqual({ off: false, period: 0 });
    expect(flapPhase(90, 1, 2, timing)).toEqual({ off: true, period: 1 });
  });

  it('folds the watch log into counts and keeps the newest stored version per source', () => {
    const log = emptyLog();
    // Each check logs twice: from the check (version, status) and from the scheduler (with ms).
    const lines = [
      '{"level":30,"msg":"check","source":"s1","outcome":"new","version":1,"events":["new"]}',
      '{"level":30,"msg":"check","source":"s1","ms":12,"outcome":"new","version":1,"events":["new"]}',
      '{"level":30,"msg":"check","source":"s1","outcome":"changed","version":2,"events":["changed"]}',
      '{"level":30,"msg":"check","source":"s1","ms":9,"outcome":"changed","version":2,"events":["changed"]}',
      '{"level":30,"msg":"check","source":"s2","outcome":"failed","status":404,"events":["removed"]}',
      '{"level":30,"msg":"check","source":"s2","ms":3,"outcome":"failed","status":404,"events":["removed"]}',
      '{"level":40,"msg":"check failed","source":"s3","ms":3}',
      '{"level":40,"msg":"outbox delivery pass failed"}',
      `{"level":40,"msg":"alert delivery failed: webhook answered HTTP 500: ${REFUSED_MARK}"}`,
      'Warning: something not JSON',
      '{"level":30,"time":"2026-12-07T15:00:00.000Z","heapUsedMB":31.2,"heapTotalMB":40,"rssMB":140.5,"externalMB":3,"msg":"heap compacted"}',
      '{"level":30,"msg":"stopped","finished":3,"abandoned":[]}',
    ];
    for (const l of lines) foldLine(log, l);
    expect(log.checks).toBe(4);
    expect(log.checkLinesFromCore).toBe(3);
    expect(log.outcomes).toEqual({ new: 1, changed: 1, failed: 1, threw: 1 });
    expect(log.events).toEqual({ new: 1, changed: 1, removed: 1 });
    expect(log.version.get('s1')).toBe(2);
    expect(log.version.has('s2')).toBe(false);
    expect([log.warnings, log.refusedWarnings, log.errors, log.nonJson]).toEqual([3, 1, 0, 1]);
    // The receiver's deliberate 500s are expected: kept out of the problems a reader is shown.
    expect(log.problems).toHaveLength(3);
    expect(log.problems.join('\n')).not.toContain(REFUSED_MARK);
    expect(log.stopped).toMatchObject({ finished: 3 });
    expect(log.compactions).toEqual([{ wallMs: Date.parse('2026-12-07T15:00:00.000Z'), heapUsedMB: 31.2, rssMB: 140.5, heapTotalMB: 40 }]);
  });

  it('verifies the webhook signature over the raw body', () => {
    const body = Buffer.from('{"key":"s1@v2"}');
    const good = `sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`;
    expect(signatureValid(body, good, 'k')).toBe(true);
    expect(signatureValid(body, good, 'other')).toBe(false);
    expect(signatureValid(Buffer.from('{"key":"s1@v3"}'), good, 'k')).toBe(false);
    expect(signatureValid(body, undefined, 'k')).toBe(false);
    expect(signatureValid(body, good.slice(0, -2), 'k')).toBe(false);
  });

  it('refuses schedules that do not tick evenly and lists that are too small', () => {
    const d = { out: '/tmp/x.md', redline: '/tmp' };
    expect(parseSoakArgs(['--minutes', '3', '--every', '5'], d)).toMatchObject({ minutes: 3, every: 5, n: 1000 });
    expect(() => parseSoakArgs(['--every', '7'], d)).toThrow(/divides 60/);
    expect(() => parseSoakArgs(['--n', '12', '--changes', '5'], d)).toThrow(/--n ≥ 15/);
    expect(() => parseSoakArgs(['--minutes'], d)).toThrow(/needs a value/);
    expect(() => parseSoakArgs(['--bogus'], d)).toThrow(/unknown option --bogus/);
  });
});

describe('the generated watch list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redline-soak-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads with Redline\'s own loader: policy, schedule, and the three channels', async () => {
    const file = join(dir, 'redline.yaml');
    writeSoakWatchList(file, {
      archive: join(dir, 'archive'), origin: 'http://127.0.0.1:9', n: 3, everySec: 5,
      policy: { removalConfirmations: 3, removalMinSec: 5, failingAfter: 3 },
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 's' }, jsonlPath: join(dir, 'a.jsonl'), atomPath: join(dir, 'a.xml'),
    });
    const config = await loadWatchList(file, {});
    expect(config.sources.map((s) => s.id)).toEqual(['s000000', 's000001', 's000002']);
    expect(config.sources[0]!.policy).toMatchObject({ removalConfirmations: 3, removalMinMs: 5000, failingAfter: 3 });
    expect(config.defaults.schedule).toBe('*/5 * * * * *');
    expect(config.alerts.map((a) => a.type)).toEqual(['webhook', 'jsonl', 'atom']);
  });
});

describe('the report', () => {
  it('states the verdicts a reader looks for first', () => {
    const samples = series(60, () => 100_000);
    const none = { expected: 0, received: 0, missing: [], unexpected: [], duplicateKeys: 0, extraDeliveries: 0, maxPerKey: 0 };
    const r: SoakResult = {
      setup: {
        command: 'npm run bench -- soak', date: '2025-01-01', n: 10, everySec: 5, changeEverySec: 10, changesPerRound: 1, sampleSec: 10,
        minutes: 60, seed: 1, flapsPerKind: 1, flapOnSec: 20, flapOffSec: 30, policy: { removalConfirmations: 3, removalMinSec: 5, failingAfter: 3 },
        refuseShare: 0.05, redlineDir: '/r', commit: 'abc1234', node: 'v20', nginx: 'nginx', cpus: '2', loadAtStart: 1,
      },
      samples, windowMs: 10 * MIN, activeMs: 60 * MIN, mutationMs: 59 * MIN, drainMs: MIN, firstCheckDone: true, scheduled: 7200,
      watchLog: { checks: 7190, checkLinesFromCore: 7190, outcomes: { unchanged: 7190 }, events: {}, warnings: 0, refusedWarnings: 0, errors: 0, nonJson: 0, problems: [] },
      archive: { sources: 10, checks: 7190, outcomes: { unchanged: 7190 }, versions: 10, badLines: 0 },
      changes: { made: 0, rounds: 0, shortRounds: 0 },
      webhook: { ...none, expected: 2, received: 1, missing: ['s000001@v2'] }, jsonl: { ...none, lines: 0, badLines: 0 },
      atom: { exists: true, entries: 0, bytes: 100 }, statusEvents: [], latencyPeriods: [],
      receiver: { requests: 1, accepted: 1, refused: 0, hmacFailures: 0, malformed: 0, problems: [] },
      exit: { code: 0, signal: null, killed: false },
    };
    const md = formatSoakReport(r);
    expect(md).toMatch(/memory flat: yes/);
    expect(md).not.toMatch(/live heap right after each compaction/);
    expect(md).toMatch(/\| 10–20 min \(warm-up\) \|/);
    expect(md).not.toMatch(/20–30 min \(warm-up\)/);
    // RSS rising under load and falling in the drain: the drain is not allowed to flatten the slope.
    const rising = series(60, (t) => (t <= 50 * MIN ? 100_000 + ((t / MIN) * 1024) / 6 : 60_000));
    expect(formatSoakReport({ ...r, samples: rising, drainMs: 10 * MIN })).toMatch(/memory flat: \*\*no\*\*.*slope 10\.00 MB\/h/);
    // 59 minutes of load: the warm-up is cut to 20 minutes, and the first compaction falls in it.
    const live = formatSoakReport({ ...r, liveHeap: [{ t: 12 * MIN, heapUsedMB: 40, rssMB: 140 }, { t: 22 * MIN, heapUsedMB: 31, rssMB: 140 }, { t: 58 * MIN, heapUsedMB: 32, rssMB: 141 }] });
    expect(live).toMatch(/live heap right after each compaction .*: 2 after the warm-up, median 31\.0 MB in the first window and 32\.0 MB in the last, slope 1\.67 MB\/h/);
    expect(live).toMatch(/memory flat: \*\*no\*\* .*RSS slope 0\.00 MB\/h \(below 1\).*live heap slope 1\.67 MB\/h \(not below 0\.5\)/);
    expect(live).toMatch(/under 120 min of load, so the warm-up is cut to half the run/);
    expect(md).toMatch(/live heap not logged by this build \(judged on RSS alone\)/);
    expect(live).not.toMatch(/outside V8's heap/);
    // RSS − heap total at each compaction: 100 → 103 MB from 22 to 58 minutes.
    const withTotal = formatSoakReport({ ...r, liveHeap: [{ t: 22 * MIN, heapUsedMB: 31, rssMB: 140, heapTotalMB: 40 }, { t: 58 * MIN, heapUsedMB: 31, rssMB: 145, heapTotalMB: 42 }] });
    expect(withTotal).toMatch(/RSS outside V8's heap right after each compaction .*: median 100\.0 MB in the first window and 103\.0 MB in the last, slope 5\.00 MB\/h/);
    expect(md).toMatch(/1 missing/);
    expect(md).toMatch(/HMAC failures: 0 \(must be 0\)/);
    expect(md).toMatch(/exit after SIGTERM: code 0\n/);
    expect(md).toMatch(/abc1234/);
    expect(md).toMatch(/- missing: s000001@v2/);
  });
});
