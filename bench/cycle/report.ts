/** The cycle benchmark's Markdown report: phases vs urlwatch, history flatness, alert latency. */
import type { HistoryLevel } from './history.js';
import type { LatencyResult } from './latency.js';
import type { RedlineRun } from './redline.js';
import type { UrlwatchRun } from './urlwatch.js';

export interface PhaseRow {
  phase: 'first' | 'unchanged' | 'changed';
  pages: number;
  redline: RedlineRun;
  urlwatch?: UrlwatchRun;
  /** 1-minute load average when the phase started (the machine is shared). */
  load: number;
}

export interface ReportInput {
  rows: PhaseRow[];
  history: HistoryLevel[];
  latency?: LatencyResult;
  n: number;
  historyN: number;
  env: Record<string, string>;
  median: (xs: number[]) => number;
}

/** Targets from issue 4: pages/s ratio to urlwatch per phase. */
const TARGETS: Record<PhaseRow['phase'], number | undefined> = { first: undefined, unchanged: 5, changed: 3 };
const PHASE_NAMES: Record<PhaseRow['phase'], string> = { first: 'first check (all new)', unchanged: 'unchanged (all 304)', changed: '10% changed' };

const rate = (pages: number, ms: number) => pages / (ms / 1000);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const f0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

export function formatReport(r: ReportInput): string {
  const out: string[] = [];
  out.push('# Check-cycle benchmark: Redline vs urlwatch', '');
  out.push(
    `\`npm run bench -- cycle --n ${r.n}\`, ${r.env.date}. Node ${r.env.node}, ${r.env.urlwatch}, ${r.env.nginx}, ${r.env.cpus} (shared with other work: load average per phase below).`,
    '',
    `${r.n} statement pages (~8 KB, seeded) from a private nginx on 127.0.0.1 (etag on, access_log off, 2 workers).`,
    `Redline runs as ${r.env.runtime}: a fresh child process per phase running \`checkAll\` at concurrency 16 (what \`redline check\` does), with`,
    '`per_host_concurrency: 16` and `per_host_delay: 0s` because one local host serves every page (the defaults are 2 and 1 s),',
    'robots.txt obeyed (404 here), and a jsonl alert channel. urlwatch: its own urls.yaml/config/cache, jobs without filters,',
    'stdout reporter only. Pages/s = pages ÷ wall time of the whole process (start-up included) for both; peak RSS from',
    'time(1). Redline\'s in-process cycle time is shown too (start-up excluded).',
    '',
  );
  out.push(...targetSummary(r), '');
  out.push('| phase | Redline pages/s | urlwatch pages/s | ratio | target | Redline peak RSS | urlwatch peak RSS | Redline cycle only | load |');
  out.push('|---|---:|---:|---:|---|---:|---:|---:|---:|');
  for (const row of r.rows) {
    const red = rate(row.pages, row.redline.wallMs);
    const uw = row.urlwatch ? rate(row.pages, row.urlwatch.wallMs) : undefined;
    const ratio = uw ? red / uw : undefined;
    const target = TARGETS[row.phase];
    const rssOk = row.urlwatch ? row.redline.processRssKB <= row.urlwatch.maxRssKB : undefined;
    const targetText = target === undefined || ratio === undefined ? '—' : `≥ ${target}×: ${verdict(ratio >= target)}`;
    out.push(
      `| ${PHASE_NAMES[row.phase]} | ${f0(red)} | ${uw === undefined ? '—' : f0(uw)} | ${ratio === undefined ? '—' : `${ratio.toFixed(1)}×`} | ${targetText} | ` +
        `${mb(row.redline.processRssKB)}${rssOk === false ? ' (higher)' : ''} | ${row.urlwatch ? mb(row.urlwatch.maxRssKB) : '—'} | ` +
        `${f0(rate(row.pages, row.redline.cycleMs))} pages/s | ${row.load.toFixed(1)} |`,
    );
  }
  out.push('');
  out.push('Seconds per phase (whole process; CPU = user + system, which moves less than wall time on a shared machine):', '');
  out.push('| phase | Redline wall | of which start-up + watch list | Redline CPU | urlwatch wall | urlwatch CPU | CPU ratio | Redline outcomes | urlwatch report |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const row of r.rows) {
    const c = row.redline.counts;
    const outcomes = Object.entries(c).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(', ');
    const rep = row.urlwatch ? Object.entries(row.urlwatch.reported).map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing' : '—';
    out.push(
      `| ${row.phase} | ${(row.redline.wallMs / 1000).toFixed(2)} | ${((row.redline.startMs + row.redline.loadMs) / 1000).toFixed(2)} | ` +
        `${(row.redline.cpuMs / 1000).toFixed(2)} | ${row.urlwatch ? (row.urlwatch.wallMs / 1000).toFixed(2) : '—'} | ` +
        `${row.urlwatch ? (row.urlwatch.cpuMs / 1000).toFixed(2) : '—'} | ${row.urlwatch ? `${(row.urlwatch.cpuMs / row.redline.cpuMs).toFixed(1)}×` : '—'} | ${outcomes}${row.redline.alertsDelivered ? `; ${row.redline.alertsDelivered} alerts` : ''} | ${rep} |`,
    );
  }
  out.push('');

  if (r.history.length) {
    const base = r.median(r.history[0]!.cycleMs);
    out.push(`## Unchanged cycle as history grows (${r.historyN} sources)`, '');
    out.push(
      'One archive per level. Versions were added through the store API (bench/cycle/grow-child.ts: putBlob + a "changed" entry',
      'each), then one real check stored the served page as the newest version. All archives are built first, then timed in rounds',
      'that rotate the order, so drift on a shared machine falls on every level alike; each timed cycle is a fresh process after',
      '`sync` (median of the runs, listed in the order run).',
      'The quiet checks are appended through the store API too, so no state checkpoint exists before the first timed run (it reads',
      'back to the newest version and writes one); later runs start from the checkpoint (src/core/checkpoint.ts).',
      'Target: ≤ 1.1× the 1-version time.',
      '',
    );
    out.push('| versions per source | unchanged cycle (median) | runs (ms) | ratio to 1 version | whole process | peak RSS |');
    out.push('|---|---:|---|---:|---:|---:|');
    for (const h of r.history) {
      const m = r.median(h.cycleMs);
      const what = h.quietChecks ? `${h.versions} + ${h.quietChecks} unchanged checks since` : String(h.versions);
      out.push(
        `| ${what} | ${f0(m)} ms | ${h.cycleMs.map(f0).join(', ')} | ${(m / base).toFixed(2)}× | ${(r.median(h.wallMs) / 1000).toFixed(2)} s | ${mb(r.median(h.rssKB))} |`,
      );
    }
    const byVersions = r.history.filter((h) => !h.quietChecks);
    const worst = Math.max(...byVersions.map((h) => r.median(h.cycleMs) / base));
    out.push('', `Flatness in versions (≤ 1.1×): ${verdict(worst <= 1.1)} (worst ${worst.toFixed(2)}×).`, '');
  }

  if (r.latency) {
    const l = r.latency;
    const s = l.samplesMs.slice().sort((a, b) => a - b);
    out.push('## Alert latency (page changed → webhook received)', '');
    out.push(
      `\`redline watch\` on 3 sources, schedule every ${l.periodMs / 1000} s (6-field cron), webhook to a loopback receiver;`,
      'each change at a random point of the period.',
      '',
    );
    if (s.length) {
      const med = r.median(s);
      out.push('| samples | median | max | min | median ÷ period | max ÷ period | missed |');
      out.push('|---:|---:|---:|---:|---:|---:|---:|');
      out.push(
        `| ${s.length} | ${f0(med)} ms | ${f0(s[s.length - 1]!)} ms | ${f0(s[0]!)} ms | ${(med / l.periodMs).toFixed(2)} | ${(s[s.length - 1]! / l.periodMs).toFixed(2)} | ${l.missed} |`,
      );
    } else {
      out.push(`No webhook arrived (${l.missed} samples missed).`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** One line per target of issue 4, so a reader sees the verdicts before the tables. */
function targetSummary(r: ReportInput): string[] {
  const lines = ['Targets (issue 4):', ''];
  const row = (p: PhaseRow['phase']) => r.rows.find((x) => x.phase === p);
  for (const p of ['unchanged', 'changed'] as const) {
    const x = row(p);
    if (!x?.urlwatch) continue;
    const ratio = rate(x.pages, x.redline.wallMs) / rate(x.pages, x.urlwatch.wallMs);
    lines.push(`- ${PHASE_NAMES[p]} ≥ ${TARGETS[p]}× urlwatch's pages/s: ${verdict(ratio >= TARGETS[p]!)} (${ratio.toFixed(1)}×)`);
  }
  const withUw = r.rows.filter((x) => x.urlwatch);
  if (withUw.length) {
    const per = withUw.map((x) => `${x.phase} ${mb(x.redline.processRssKB)} vs ${mb(x.urlwatch!.maxRssKB)}`).join(', ');
    const perOk = withUw.every((x) => x.redline.processRssKB <= x.urlwatch!.maxRssKB);
    const maxRed = Math.max(...withUw.map((x) => x.redline.processRssKB));
    const maxUw = Math.max(...withUw.map((x) => x.urlwatch!.maxRssKB));
    lines.push(`- peak RSS no higher than urlwatch's: phase by phase ${verdict(perOk)} (${per}); over the whole run ${verdict(maxRed <= maxUw)} (${mb(maxRed)} vs ${mb(maxUw)})`);
  }
  const versions = r.history.filter((h) => !h.quietChecks);
  if (versions.length > 1) {
    const base = r.median(versions[0]!.cycleMs);
    const worst = Math.max(...versions.map((h) => r.median(h.cycleMs) / base));
    lines.push(`- unchanged cycle flat (≤ 1.1×) from 1 to ${versions[versions.length - 1]!.versions} versions per source: ${verdict(worst <= 1.1)} (worst ${worst.toFixed(2)}×)`);
    const quiet = r.history.find((h) => h.quietChecks);
    if (quiet) {
      lines.push(`  - not a target, measured to show the limit: after ${quiet.quietChecks} unchanged checks since the newest version, ${(r.median(quiet.cycleMs) / base).toFixed(2)}× (the first run, before any checkpoint, ${(quiet.cycleMs[0]! / base).toFixed(2)}×: it reads each source's log back to its newest version)`);
    }
  }
  if (r.latency?.samplesMs.length) {
    const s = r.latency.samplesMs.slice().sort((a, b) => a - b);
    lines.push(`- alert latency with a ${r.latency.periodMs / 1000} s schedule: median ${f0(r.median(s))} ms, max ${f0(s[s.length - 1]!)} ms (${(s[s.length - 1]! / r.latency.periodMs).toFixed(2)} periods), ${r.latency.missed} missed`);
  }
  return lines;
}
