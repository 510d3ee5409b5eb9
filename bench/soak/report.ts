/** The soak run's Markdown report, from the figures the run saved (so --report-from can redo it). */
import { DEFAULT_RULE, fmtMinutes, liveHeapSpans, liveHeapTrend, median, memoryVerdict, rssSlopeMBPerHour, SETTLE_MS, warmupFor, windowStats, type AlertComparison, type EventRow, type HeapPoint, type Sample } from './analysis.js';
import type { ReceiverStats } from './receiver.js';
import type { ArchiveCounts } from './outputs.js';

export interface SoakSetup {
  command: string;
  date: string;
  n: number;
  everySec: number;
  changeEverySec: number;
  changesPerRound: number;
  sampleSec: number;
  minutes: number;
  seed: number;
  flapsPerKind: number;
  flapOnSec: number;
  flapOffSec: number;
  policy: { removalConfirmations: number; removalMinSec: number; failingAfter: number };
  refuseShare: number;
  redlineDir: string;
  commit: string;
  /** Said when src/ of the checkout differs from its commit or dist/ is older than src/. */
  buildNote?: string;
  /** `--version` of the Node binary that ran the watch process. */
  node: string;
  nginx: string;
  cpus: string;
  loadAtStart: number;
  /** The deliberate leak the watch carried (--leak), MB/h; absent when none. */
  leakMBh?: number;
  /** Heap snapshots taken (--heap-snapshots): minutes after the start, and where. */
  heapSnapshots?: { minutes: number[]; dir: string };
}

export interface SoakResult {
  setup: SoakSetup;
  samples: Sample[];
  windowMs: number;
  /** Watch process start → SIGTERM; the share of it spent changing pages; the drain after. */
  activeMs: number;
  mutationMs: number;
  drainMs: number;
  /** Why the run ended differently from plan (watch died, first checks never finished…). */
  abort?: string;
  firstCheckDone: boolean;
  /** N × schedule ticks while the process ran. */
  scheduled: number;
  watchLog: { checks: number; checkLinesFromCore: number; outcomes: Record<string, number>; events: Record<string, number>; warnings: number; refusedWarnings: number; errors: number; nonJson: number; problems: string[]; stopped?: Record<string, unknown> };
  archive: ArchiveCounts;
  changes: { made: number; rounds: number; shortRounds: number };
  webhook: AlertComparison;
  jsonl: AlertComparison & { lines: number; badLines: number };
  atom: { exists: boolean; entries: number; bytes: number };
  statusEvents: EventRow[];
  receiver: ReceiverStats;
  /** The watch's "heap compacted" lines, t on the samples' clock (absent from runs before it logged them). */
  liveHeap?: HeapPoint[];
  /** Page rewritten → its webhook accepted, in schedule periods (retries included). */
  latencyPeriods: number[];
  exit: { code: number | null; signal: string | null; killed: boolean };
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const mbBytes = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const n0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const minutes = (ms: number) => String(Number((ms / 60_000).toFixed(2)));
const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

function quantile(xs: number[], q: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export function formatSoakReport(r: SoakResult): string {
  const s = r.setup;
  // The rule is judged on the run under load: in the drain (no more changes, then SIGTERM) RSS
  // falls, and counting it would flatter the slope. The table shows every window.
  const loadedUntil = r.activeMs - r.drainMs;
  const judged = r.samples.filter((x) => x.t <= loadedUntil);
  // From the rule, not from the run's file, so --report-from judges old runs the same way.
  const warmupMs = warmupFor(loadedUntil, r.windowMs);
  const liveHeap = (r.liveHeap ?? []).filter((p) => p.t <= loadedUntil);
  const verdict = memoryVerdict(judged, { windowMs: r.windowMs, warmupMs, ...DEFAULT_RULE }, liveHeap);
  const loads = r.samples.map((x) => x.load1);
  const out: string[] = [];
  out.push(`# Soak: \`redline watch\` for ${s.minutes} min with real changes`, '');
  out.push(
    `\`${s.command}\`, ${s.date}. Redline ${s.commit} (${s.redlineDir}/dist/cli/main.js)${s.buildNote ? ` — **${s.buildNote}**` : ''}; Node ${s.node}; ${s.nginx}; ${s.cpus};` +
      ` load average ${s.loadAtStart.toFixed(2)} at start, ${loads.length ? `median ${median(loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)} over the run` : 'no samples'} (the machine is shared).`,
    '',
    `${s.n} statement pages (~8 KB, seed ${s.seed}) from a private nginx on 127.0.0.1, every source on \`*/${s.everySec} * * * * *\`` +
      ` (${(s.n / s.everySec).toFixed(0)} checks/s scheduled), per-host limits raised to 16 in flight / no delay (one host serves all).` +
      ` Every ${s.changeEverySec} s ${s.changesPerRound} pages get a new revision (one sentence replaced; a page is changed again only after Redline stored its last revision).` +
      ` ${s.flapsPerKind} pages go 404 and ${s.flapsPerKind} go 403 in staggered cycles (${s.flapOnSec} s served, ${s.flapOffSec} s away);` +
      ` policy removal_confirmations ${s.policy.removalConfirmations}, removal_min_duration ${s.policy.removalMinSec}s, failing_after ${s.policy.failingAfter}; significance alert_at none (every stored change alerts).` +
      ` Channels: webhook to a loopback receiver (HMAC checked, ${(s.refuseShare * 100).toFixed(0)}% of deliveries answered 500), jsonl file, Atom feed file.` +
      ` Process sampled every ${s.sampleSec} s from /proc. Changes ran for ${fmtMinutes(r.mutationMs)} after the first check of every source; then ${fmtMinutes(r.drainMs)} of drain (flapping pages back, outstanding alerts) before SIGTERM.`,
    '',
  );
  if (s.leakMBh) out.push(`**Leak canary: the watch process kept ${s.leakMBh} MB/h of JavaScript arrays on purpose (--leak; bench/soak/leak-canary.cjs), so this run should fail the memory rule.**`, '');
  if (s.heapSnapshots) {
    out.push(
      `**Heap snapshots at ${s.heapSnapshots.minutes.join(', ')} min into ${s.heapSnapshots.dir} (--heap-snapshots): each stopped the watch for seconds and briefly doubled its heap, so this run diagnoses (\`npm run bench -- heapdiff\`); its memory figures are not a measurement.**`,
      '',
    );
  }
  if (r.abort) out.push(`**Run cut short: ${r.abort}**`, '');

  const flatText = verdict.flat === undefined ? 'cannot tell' : verdict.flat ? 'yes' : '**no**';
  const missing = r.webhook.missing.length + r.statusEvents.reduce((a, e) => a + Math.max(0, e.expected - e.received), 0);
  out.push('Summary:', '');
  const short = loadedUntil < 2 * SETTLE_MS ? ` (under ${fmtMinutes(2 * SETTLE_MS)} of load, so the warm-up is cut to half the run: not evidence either way)` : '';
  out.push(`- memory flat: ${flatText} — rule: ${verdict.rule}; ${verdict.why}${short}`);
  out.push(
    `- checks: ${n0(r.archive.checks)} in the archive logs, ${r.scheduled ? (r.archive.checks / r.scheduled).toFixed(3) : '—'} of the ${n0(r.scheduled)} scheduled;` +
      ` versions ${n0(r.archive.versions)} (expected ${n0(s.n + r.changes.made)}) from ${n0(r.changes.made)} page revisions`,
  );
  out.push(
    `- alerts: ${n0(r.webhook.expected)} "changed" expected, ${n0(r.webhook.received)} received by the webhook, ${r.webhook.missing.length} missing, ${r.webhook.unexpected.length} unexpected;` +
      ` status events ${r.statusEvents.map((e) => `${e.event} ${e.received}/${e.expected}`).join(', ')}; missing in all: ${missing}`,
  );
  out.push(`- duplicates: ${r.webhook.duplicateKeys} keys delivered more than once to the webhook (at most ${r.webhook.maxPerKey} per key), ${r.jsonl.duplicateKeys} in the jsonl file`);
  out.push(`- HMAC failures: ${r.receiver.hmacFailures} (must be 0)`);
  out.push(`- exit after SIGTERM: ${r.exit.killed ? `**did not exit in time, killed** (${r.exit.signal})` : `code ${r.exit.code}${r.exit.signal ? `, signal ${r.exit.signal}` : ''}`}${r.exit.code === 0 && !r.exit.killed ? '' : ' (expected 0)'}`);
  out.push('');

  out.push('## Checks and versions', '');
  const outcomes = (o: Record<string, number>) => Object.entries(o).sort().map(([k, v]) => `${n0(v)} ${k}`).join(', ');
  out.push('| what | count |', '|---|---:|');
  out.push(`| checks scheduled (sources × ticks while running; the start-up check of each source comes on top, checks still in the last tick's jitter window at SIGTERM are dropped) | ${n0(r.scheduled)} |`);
  out.push(`| checks in the archive logs | ${n0(r.archive.checks)} (${r.scheduled ? (r.archive.checks / r.scheduled).toFixed(3) : '—'} of scheduled) |`);
  out.push(`| checks finished per the watch log (the scheduler's "check" lines) | ${n0(r.watchLog.checks)} |`);
  if (r.watchLog.checkLinesFromCore) {
    out.push(`| second "check" line per check, printed by the check itself (same checks, logged twice) | ${n0(r.watchLog.checkLinesFromCore)} |`);
  }
  out.push(`| outcomes (archive) | ${outcomes(r.archive.outcomes)} |`);
  out.push(`| events raised (watch log) | ${outcomes(r.watchLog.events) || 'none'} |`);
  out.push(`| page revisions made | ${n0(r.changes.made)} in ${r.changes.rounds} rounds (${r.changes.shortRounds} rounds had fewer pages ready than asked) |`);
  out.push(`| versions in the archive | ${n0(r.archive.versions)} (expected ${n0(s.n + r.changes.made)}: one per source + one per revision) |`);
  if (r.archive.badLines) out.push(`| unparseable archive log lines | **${r.archive.badLines}** |`);
  out.push('');

  out.push('## Alerts', '');
  out.push('| channel | expected | received | missing | unexpected | keys more than once | extra deliveries |', '|---|---:|---:|---:|---:|---:|---:|');
  const row = (name: string, c: AlertComparison) =>
    `| ${name} | ${n0(c.expected)} | ${n0(c.received)} | ${c.missing.length} | ${c.unexpected.length} | ${c.duplicateKeys} | ${c.extraDeliveries} |`;
  out.push(row('webhook, "changed"', r.webhook));
  out.push(row('jsonl, "changed"', r.jsonl));
  for (const e of r.statusEvents) out.push(`| webhook, "${e.event}" | ${e.expected} | ${e.received} | ${Math.max(0, e.expected - e.received)} | ${Math.max(0, e.received - e.expected)} | — | — |`);
  out.push('');
  const rc = r.receiver;
  out.push(
    `Webhook receiver: ${n0(rc.requests)} requests, ${n0(rc.accepted)} accepted, ${n0(rc.refused)} answered 500 on purpose (retried by the outbox), ${rc.hmacFailures} HMAC failures, ${rc.malformed} malformed.` +
      ` jsonl file: ${n0(r.jsonl.lines)} lines${r.jsonl.badLines ? `, **${r.jsonl.badLines} unparseable**` : ''}. Atom feed: ${r.atom.exists ? `${r.atom.entries} entries, ${(r.atom.bytes / 1024).toFixed(0)} KB` : '**missing**'}.`,
  );
  if (r.latencyPeriods.length) {
    const l = r.latencyPeriods;
    out.push(
      '',
      `Page rewritten → webhook accepted, in schedule periods (${s.everySec} s; includes the wait for the next tick, the jitter window of half a period, and retries after a 500):` +
        ` median ${median(l).toFixed(2)}, 95th percentile ${quantile(l, 0.95).toFixed(2)}, max ${Math.max(...l).toFixed(2)} (${l.length} alerts).`,
    );
  }
  const mism = r.statusEvents.filter((e) => e.mismatched.length);
  if (r.webhook.missing.length || r.webhook.unexpected.length || mism.length) {
    out.push('', 'Differences:', '');
    if (r.webhook.missing.length) out.push(`- missing: ${r.webhook.missing.slice(0, 20).join(', ')}${r.webhook.missing.length > 20 ? ', …' : ''}`);
    if (r.webhook.unexpected.length) out.push(`- unexpected: ${r.webhook.unexpected.slice(0, 20).join(', ')}${r.webhook.unexpected.length > 20 ? ', …' : ''}`);
    for (const e of mism) out.push(`- ${e.event} (received/expected): ${e.mismatched.join(', ')}`);
  }
  out.push('');

  out.push(`## Memory (RSS of the watch process per ${fmtMinutes(r.windowMs)} window)`, '');
  out.push('| window | samples | RSS min | RSS median | RSS max | VmHWM at end | CPU (share of one core) | archive on disk | outbox | load |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const w of windowStats(r.samples, r.windowMs)) {
    const inW = r.samples.filter((x) => x.t >= w.fromMs && x.t < w.toMs);
    const last = inW[inW.length - 1]!;
    const warm = w.toMs <= warmupMs ? ' (warm-up)' : '';
    out.push(
      `| ${minutes(w.fromMs)}–${minutes(w.toMs)} min${warm} | ${w.samples} | ${mb(w.rssMinKB)} | ${mb(w.rssMedianKB)} | ${mb(w.rssMaxKB)} | ${mb(w.hwmEndKB)} | ${pct(w.cpuShare)} | ${mbBytes(last.archiveBytes)} | ${mbBytes(last.outboxBytes)} | ${median(inW.map((x) => x.load1)).toFixed(2)} |`,
    );
  }
  out.push('');
  const f = (x: number | undefined, d = 3) => (x === undefined ? '—' : x.toFixed(d));
  out.push(
    `- RSS slope after the ${fmtMinutes(warmupMs)} warm-up to the end of the changes (least squares over ${judged.filter((x) => x.t >= warmupMs).length} samples; the drain is left out): ${f(verdict.slopeMBh, 2)} MB/h`,
    `- RSS slope over the later half, from ${verdict.laterHalfFromMs === undefined ? '—' : fmtMinutes(Math.round(verdict.laterHalfFromMs / 60_000) * 60_000)} (not part of the rule): ${f(verdict.laterHalfSlopeMBh, 2)} MB/h`,
    `- RSS slope from the end of the first window, ${fmtMinutes(r.windowMs)} (not part of the rule; the rule before 3c01f82, which measured V8 settling its heap sizes): ${f(rssSlopeMBPerHour(judged, r.windowMs), 2)} MB/h`,
    `- last window's median RSS ÷ first post-warm-up window's: ${f(verdict.lastOverFirst)}${verdict.firstWindow && verdict.lastWindow ? ` (${mb(verdict.lastWindow.rssMedianKB)} ÷ ${mb(verdict.firstWindow.rssMedianKB)})` : ''}`,
    `- peak: VmHWM at the end ÷ VmHWM at the end of the first post-warm-up window: ${f(verdict.peakRatio)} (1.000 = no new peak after it)`,
  );
  const live = verdict.live;
  out.push(
    live
      ? `- live heap right after each compaction (the watch's "heap compacted" lines): ${live.compactions} after the warm-up, median ${live.firstMedianMB.toFixed(1)} MB in the first window and ${live.lastMedianMB.toFixed(1)} MB in the last, slope ${f(live.slopeMBh, 2)} MB/h`
      : '- live heap: not logged by this build, or no compaction after the warm-up',
  );
  const spans = liveHeapSpans(liveHeap, 30 * 60_000, loadedUntil);
  if (spans.length > 1) {
    const each = spans.map((x) => `${f(x.slopeMBh, 2)}${x.standardErrorMBh === undefined ? '' : ` ±${x.standardErrorMBh.toFixed(2)}`} (${fmtMinutes(x.fromMs)}–${fmtMinutes(Math.round(x.toMs / 60_000) * 60_000)})`);
    out.push(`- live heap slope per half hour from minute 30, MB/h ± standard error (not part of the rule: a leak keeps its slope from span to span; V8 compiling code that runs only now and then slows down): ${each.join(', ')}`);
  }
  // Outside V8's heap: malloc (zlib, the threadpool's arenas), code, stacks. A native leak shows here.
  const outside = liveHeapTrend(liveHeap, warmupMs, r.windowMs, (p) => (p.heapTotalMB === undefined ? undefined : p.rssMB - p.heapTotalMB));
  if (outside) {
    out.push(
      `- RSS outside V8's heap right after each compaction (RSS − heap total: malloc, code, stacks; not part of the rule): median ${outside.firstMedianMB.toFixed(1)} MB in the first window and ${outside.lastMedianMB.toFixed(1)} MB in the last, slope ${f(outside.slopeMBh, 2)} MB/h`,
    );
  }
  out.push(
    `- memory flat: ${verdict.flat === undefined ? 'cannot tell' : verdict.flat ? 'yes' : 'no'} (${verdict.why})`,
  );
  out.push('');

  const w = r.watchLog;
  out.push('## Watch process log', '');
  out.push(`${w.warnings} warnings (${w.refusedWarnings} of them deliveries the receiver refused on purpose), ${w.errors} errors, ${w.nonJson} lines that were not JSON.${w.stopped ? ` Final "stopped" line: ${stoppedSummary(w.stopped)}.` : ' No "stopped" line was printed.'}`);
  if (w.problems.length) out.push('', 'Last other warnings and errors logged:', '', '```', ...w.problems, '```');
  out.push('');
  return `${out.join('\n')}\n`;
}

function stoppedSummary(stopped: Record<string, unknown>): string {
  const keep = ['checked', 'changed', 'checksFailed', 'alerts', 'deliveryRuns', 'deliveryFailures'];
  const parts = keep.filter((k) => k in stopped).map((k) => `${k} ${Array.isArray(stopped[k]) ? (stopped[k] as unknown[]).length : String(stopped[k])}`);
  if ('finished' in stopped) parts.push(`in flight at SIGTERM and finished ${String(stopped.finished)}`);
  const abandoned = stopped.abandoned;
  if (Array.isArray(abandoned)) parts.push(`abandoned ${abandoned.length}`);
  return parts.join(', ');
}
