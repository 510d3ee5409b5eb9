/**
 * The soak run's figures from its raw data: RSS per window, the RSS slope after warm-up,
 * the memory verdict, and alerts expected vs received. Pure (no clocks, no files), so
 * the rules can be unit-tested and a report regenerated from the saved samples.
 */

/** One reading of the watch process, `t` ms after it was started. */
export interface Sample {
  t: number;
  /** VmRSS and VmHWM from /proc/<pid>/status, in KB. */
  rssKB: number;
  hwmKB: number;
  /** utime + stime of the watch process so far, in ms. */
  cpuMs: number;
  /** Blocks allocated under the archive (outbox included) and under <archive>/outbox alone. */
  archiveBytes: number;
  outboxBytes: number;
  /** 1-minute load average of the machine. */
  load1: number;
  /** Check log lines the watch process had printed, page rewrites made, alerts accepted by the webhook. */
  checks: number;
  changesMade: number;
  alertsReceived: number;
}

export interface WindowStat {
  index: number;
  fromMs: number;
  toMs: number;
  samples: number;
  rssMinKB: number;
  rssMedianKB: number;
  rssMaxKB: number;
  /** VmHWM at the window's last sample (the peak since the process started). */
  hwmEndKB: number;
  /** CPU time ÷ wall time between the window's first and last sample (1 = one core busy). */
  cpuShare: number | undefined;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Samples grouped by [k·W, (k+1)·W) of elapsed time; windows without samples are left out. */
export function windowStats(samples: readonly Sample[], windowMs: number): WindowStat[] {
  if (!(windowMs > 0)) throw new RangeError(`window must be > 0 ms, got ${windowMs}`);
  const groups = new Map<number, Sample[]>();
  for (const s of samples) {
    const k = Math.floor(s.t / windowMs);
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([k, g]) => {
      g.sort((a, b) => a.t - b.t);
      const rss = g.map((s) => s.rssKB);
      const first = g[0]!;
      const last = g[g.length - 1]!;
      const wall = last.t - first.t;
      return {
        index: k,
        fromMs: k * windowMs,
        toMs: (k + 1) * windowMs,
        samples: g.length,
        rssMinKB: Math.min(...rss),
        rssMedianKB: median(rss),
        rssMaxKB: Math.max(...rss),
        hwmEndKB: last.hwmKB,
        cpuShare: wall > 0 ? (last.cpuMs - first.cpuMs) / wall : undefined,
      };
    });
}

/** Ordinary least-squares slope of y over x; undefined with fewer than two distinct x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number | undefined {
  return leastSquaresFit(xs, ys)?.slope;
}

/**
 * The slope and its standard error (undefined with fewer than three points, when the residuals
 * leave no degree of freedom); undefined with fewer than two distinct x.
 */
export function leastSquaresFit(xs: readonly number[], ys: readonly number[]): { slope: number; standardError?: number } | undefined {
  if (xs.length !== ys.length) throw new RangeError(`x and y differ in length (${xs.length} vs ${ys.length})`);
  const n = xs.length;
  if (n < 2) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  if (n < 3) return { slope };
  let residuals = 0;
  for (let i = 0; i < n; i++) residuals += (ys[i]! - my - slope * (xs[i]! - mx)) ** 2;
  return { slope, standardError: Math.sqrt(residuals / (n - 2) / sxx) };
}

export interface SpanSlope {
  fromMs: number;
  toMs: number;
  points: number;
  slopeMBh: number;
  standardErrorMBh?: number;
}

/**
 * The live heap's slope over successive spans (half hours by default) from `fromMs` to
 * `untilMs`, for the shape of a rise the rule's one slope hides: a leak keeps its slope span
 * after span, while V8 compiling the code a long run reaches only now and then (rare paths,
 * re-optimisation after a deopt) slows down as it runs out of such code. Spans with fewer than
 * six compactions are left out.
 */
export function liveHeapSpans(points: readonly HeapPoint[], fromMs: number, untilMs: number, spanMs = 30 * 60_000): SpanSlope[] {
  const out: SpanSlope[] = [];
  for (let start = fromMs; start + spanMs <= untilMs + spanMs / 2; start += spanMs) {
    const end = Math.min(start + spanMs, untilMs);
    const inSpan = points.filter((p) => p.t >= start && p.t < end);
    if (inSpan.length < 6) continue;
    const fit = leastSquaresFit(inSpan.map((p) => p.t / 3_600_000), inSpan.map((p) => p.heapUsedMB));
    if (fit) out.push({ fromMs: start, toMs: end, points: inSpan.length, slopeMBh: fit.slope, standardErrorMBh: fit.standardError });
  }
  return out;
}

/** RSS slope in MB per hour over the samples taken at or after `warmupMs`. */
export function rssSlopeMBPerHour(samples: readonly Sample[], warmupMs: number): number | undefined {
  const after = samples.filter((s) => s.t >= warmupMs);
  return leastSquaresSlope(
    after.map((s) => s.t / 3_600_000),
    after.map((s) => s.rssKB / 1024),
  );
}

/** One "heap compacted" line of the watch: the live heap right after a compacting collection. */
export interface HeapPoint {
  t: number;
  heapUsedMB: number;
  rssMB: number;
  /** V8's whole heap, free pages included (absent from runs before the bench kept it). */
  heapTotalMB?: number;
}

export interface LiveHeapTrend {
  compactions: number;
  firstMedianMB: number;
  lastMedianMB: number;
  slopeMBh?: number;
}

/**
 * The live heap over the run, from the watch's own log: a leak in JavaScript shows here without
 * V8's sizing (young generation, old space between collections) moving RSS by ±15 MB around it.
 * `of` picks another figure from the same lines (the report's RSS outside V8's heap). Undefined
 * when the watch logged no compaction after the warm-up (builds before it logged them, or runs
 * shorter than two minutes past it).
 */
export function liveHeapTrend(points: readonly HeapPoint[], warmupMs: number, windowMs: number, of: (p: HeapPoint) => number | undefined = (p) => p.heapUsedMB): LiveHeapTrend | undefined {
  const after = points.filter((p) => p.t >= warmupMs && of(p) !== undefined);
  if (after.length === 0) return undefined;
  const byWindow = new Map<number, number[]>();
  for (const p of after) {
    const k = Math.floor(p.t / windowMs);
    byWindow.set(k, [...(byWindow.get(k) ?? []), of(p)!]);
  }
  const keys = [...byWindow.keys()].sort((a, b) => a - b);
  return {
    compactions: after.length,
    firstMedianMB: median(byWindow.get(keys[0]!)!),
    lastMedianMB: median(byWindow.get(keys[keys.length - 1]!)!),
    slopeMBh: leastSquaresSlope(after.map((p) => p.t / 3_600_000), after.map((p) => of(p)!)),
  };
}

export interface MemoryRule {
  windowMs: number;
  warmupMs: number;
  /** RSS is flat when its slope < maxSlopeMBh and last ÷ first post-warm-up median ≤ maxRatio. */
  maxSlopeMBh: number;
  maxRatio: number;
  /** And, when the watch logged its compactions, the live heap's slope < maxLiveHeapSlopeMBh. */
  maxLiveHeapSlopeMBh: number;
}

export const DEFAULT_RULE: Omit<MemoryRule, 'windowMs' | 'warmupMs'> = { maxSlopeMBh: 1, maxRatio: 1.1, maxLiveHeapSlopeMBh: 0.5 };

/**
 * How long V8 and glibc take to settle under the soak's load before the rule looks. Every long
 * run before this rule (3c01f82) rose 3–12 MB over its first 20–50 minutes and then held (young
 * generation and old space between collections growing to the sizes V8 keeps for throughput; the
 * live heap flat), so a slope from minute 10 measured that settling, not growth. Set to an hour
 * before the runs that were judged by it. Runs shorter than two hours of load get half their
 * length, in whole windows: the verdict of such a run says little either way.
 */
export const SETTLE_MS = 60 * 60_000;

export function warmupFor(loadedMs: number, windowMs: number): number {
  if (loadedMs >= 2 * SETTLE_MS) return SETTLE_MS;
  return Math.max(windowMs, Math.floor(loadedMs / 2 / windowMs) * windowMs);
}

export interface MemoryVerdict {
  windows: WindowStat[];
  slopeMBh?: number;
  /**
   * Slope over the later half of the time after warm-up, from `laterHalfFromMs`. Reported beside
   * the verdict, not part of it.
   */
  laterHalfSlopeMBh?: number;
  laterHalfFromMs?: number;
  /** First window starting at or after the warm-up, and the last window that is at least half covered. */
  firstWindow?: WindowStat;
  lastWindow?: WindowStat;
  /** Last window's median RSS ÷ the first post-warm-up window's. */
  lastOverFirst?: number;
  /** VmHWM at the end of the run ÷ VmHWM at the end of the first post-warm-up window (1 = no new peak since). */
  peakRatio?: number;
  /** The live heap after the warm-up; undefined when the watch did not log it (builds before db2ab4c). */
  live?: LiveHeapTrend;
  /** Undefined when the run was too short to tell (why says so). */
  flat?: boolean;
  why: string;
  rule: string;
}

export function ruleText(r: MemoryRule): string {
  return (
    `after a ${fmtMinutes(r.warmupMs)} warm-up, RSS slope < ${r.maxSlopeMBh} MB/h, last window's median RSS ÷ first post-warm-up window's ≤ ${r.maxRatio},` +
    ` and the live heap's slope < ${r.maxLiveHeapSlopeMBh} MB/h`
  );
}

/** A duration as people say it: "10 min", "30 s", "119.3 min". */
export function fmtMinutes(ms: number): string {
  const min = ms / 60_000;
  if (Number.isInteger(min)) return `${min} min`;
  return ms < 120_000 ? `${(ms / 1000).toFixed(0)} s` : `${min.toFixed(1)} min`;
}

/**
 * RSS catches growth anywhere (malloc, V8's pages, native modules) but swings ±15 MB with V8's
 * young generation, so over an hour or two its slope is only good to about ±1 MB/h. The live
 * heap after each compacting collection swings far less, so a JavaScript leak of 1 MB/h shows in
 * it plainly; both are judged.
 */
export function memoryVerdict(samples: readonly Sample[], rule: MemoryRule, liveHeap: readonly HeapPoint[] = []): MemoryVerdict {
  const windows = windowStats(samples, rule.windowMs);
  const rt = ruleText(rule);
  const post = windows.filter((w) => w.fromMs >= rule.warmupMs);
  const firstWindow = post[0];
  // A trailing window with a few samples (the drain at the end) says little about the level.
  const expected = Math.max(1, median(windows.map((w) => w.samples)));
  const lastWindow = [...post].reverse().find((w) => w.samples >= expected / 2);
  const slopeMBh = rssSlopeMBPerHour(samples, rule.warmupMs);
  const live = liveHeapTrend(liveHeap, rule.warmupMs, rule.windowMs);
  const out: MemoryVerdict = { windows, slopeMBh, firstWindow, lastWindow, live, why: '', rule: rt };
  if (samples.length > 0) {
    const end = Math.max(...samples.map((s) => s.t));
    out.laterHalfFromMs = rule.warmupMs + (end - rule.warmupMs) / 2;
    out.laterHalfSlopeMBh = rssSlopeMBPerHour(samples, out.laterHalfFromMs);
  }
  if (!firstWindow || !lastWindow || slopeMBh === undefined) {
    out.why = 'too few samples after the warm-up to tell';
    return out;
  }
  const notes: string[] = [];
  if (lastWindow.index === firstWindow.index) notes.push('only one window after the warm-up: the ratio compares a window with itself');
  out.lastOverFirst = lastWindow.rssMedianKB / firstWindow.rssMedianKB;
  const end = samples.reduce((a, b) => (b.t > a.t ? b : a));
  out.peakRatio = end.hwmKB / firstWindow.hwmEndKB;
  const slopeOk = slopeMBh < rule.maxSlopeMBh;
  const ratioOk = out.lastOverFirst <= rule.maxRatio;
  const liveOk = live?.slopeMBh === undefined ? undefined : live.slopeMBh < rule.maxLiveHeapSlopeMBh;
  out.flat = slopeOk && ratioOk && liveOk !== false;
  notes.push(
    `RSS slope ${slopeMBh.toFixed(2)} MB/h (${slopeOk ? 'below' : 'not below'} ${rule.maxSlopeMBh}), last ÷ first ${out.lastOverFirst.toFixed(3)} (${ratioOk ? 'within' : 'above'} ${rule.maxRatio})`,
    liveOk === undefined
      ? 'live heap not logged by this build (judged on RSS alone)'
      : `live heap slope ${live!.slopeMBh!.toFixed(2)} MB/h (${liveOk ? 'below' : 'not below'} ${rule.maxLiveHeapSlopeMBh})`,
  );
  out.why = notes.join(', ');
  return out;
}

/**
 * Window and warm-up for a run of `durationMs`: 10 minutes each as the brief asks, shrunk for
 * short runs to the largest round length that still gives six windows (3 minutes: 30 s).
 */
export function windowFor(durationMs: number, preferredMs = 10 * 60_000): number {
  const steps = [10 * 60_000, 5 * 60_000, 2 * 60_000, 60_000, 30_000, 20_000, 10_000].filter((w) => w <= preferredMs);
  return steps.find((w) => durationMs / w >= 6) ?? steps[steps.length - 1] ?? preferredMs;
}

export interface AlertComparison {
  expected: number;
  /** Expected keys accepted at least once. */
  received: number;
  missing: string[];
  /** Keys accepted that nobody expected (of the kind being compared). */
  unexpected: string[];
  /** Keys accepted more than once, and the surplus deliveries over all of them. */
  duplicateKeys: number;
  extraDeliveries: number;
  maxPerKey: number;
}

/** Expected idempotency keys vs accepted deliveries per key (only keys passing `kind` count as unexpected). */
export function compareAlerts(expected: Iterable<string>, accepted: ReadonlyMap<string, number>, kind: (key: string) => boolean = () => true): AlertComparison {
  const want = new Set(expected);
  const missing: string[] = [];
  let received = 0;
  for (const k of want) {
    if ((accepted.get(k) ?? 0) > 0) received++;
    else missing.push(k);
  }
  const unexpected: string[] = [];
  let duplicateKeys = 0;
  let extraDeliveries = 0;
  let maxPerKey = 0;
  for (const [k, n] of accepted) {
    if (!kind(k)) continue;
    if (!want.has(k) && n > 0) unexpected.push(k);
    if (n > 1) {
      duplicateKeys++;
      extraDeliveries += n - 1;
    }
    maxPerKey = Math.max(maxPerKey, n);
  }
  return { expected: want.size, received, missing: missing.sort(), unexpected: unexpected.sort(), duplicateKeys, extraDeliveries, maxPerKey };
}

/** "s000012@v3" — the key of a "changed" alert (src/core/alerts.ts). */
export const CHANGED_KEY = /^(.+)@v(\d+)$/;
/** "s000012:removed@57" — the key of a removed/restored/failing/recovered alert (57 = log entry). */
export const STATUS_KEY = /^(.+):(removed|restored|failing|recovered)@(\d+)$/;

export interface EventRow {
  event: string;
  expected: number;
  received: number;
  /** Sources whose count differs from the expected one. */
  mismatched: string[];
}

/**
 * Status events (removed, restored, failing, recovered) carry the log position in their key, which
 * cannot be known in advance; so they are compared as counts of distinct keys per source and event.
 */
export function compareStatusEvents(expected: ReadonlyMap<string, Record<string, number>>, acceptedKeys: Iterable<string>): EventRow[] {
  const got = new Map<string, Record<string, number>>();
  for (const key of acceptedKeys) {
    const m = STATUS_KEY.exec(key);
    if (!m) continue;
    const per = got.get(m[1]!) ?? {};
    per[m[2]!] = (per[m[2]!] ?? 0) + 1;
    got.set(m[1]!, per);
  }
  const events = ['removed', 'restored', 'failing', 'recovered'];
  const sources = new Set([...expected.keys(), ...got.keys()]);
  return events.map((event) => {
    const row: EventRow = { event, expected: 0, received: 0, mismatched: [] };
    for (const s of [...sources].sort()) {
      const e = expected.get(s)?.[event] ?? 0;
      const r = got.get(s)?.[event] ?? 0;
      row.expected += e;
      row.received += r;
      if (e !== r) row.mismatched.push(`${s} ${r}/${e}`);
    }
    return row;
  });
}

/**
 * Schedule ticks of `*\/every * * * * *` (every divides 60, so ticks fall on multiples of `every`
 * seconds since the epoch) in [fromMs, toMs) of wall-clock time.
 */
export function ticksBetween(fromMs: number, toMs: number, everySec: number): number {
  const p = everySec * 1000;
  return Math.max(0, Math.ceil(toMs / p) - Math.ceil(fromMs / p));
}
