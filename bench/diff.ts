/**
 * `npm run bench -- diff [--runs N] [--quick]`: Redline's diffText against
 * `git diff --no-index --word-diff=porcelain` on the same files, for the 9
 * synthetic cases of bench/corpus.ts and the real fixture pairs. Prints a
 * Markdown table and writes it to bench/RESULTS-diff.md.
 *
 * Redline is timed in-process (median of N runs after warm-up, in a fresh
 * child process per case so peak RSS is per case); git as a whole process
 * (median of N spawns), which is how a monitor would call it; the two
 * alternate run by run (bench/diff-worker.ts). CPU times are reported beside
 * wall times because the machine is shared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeCorpus } from './corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const work = join(root, '.bench-work', 'diff');
const fixtures = join(root, 'tests', 'fixtures');

interface Case {
  name: string;
  size: string;
  edit: string;
  a: string;
  b: string;
  synthetic: boolean;
}

interface Row extends Case {
  redline: number;
  git: number;
  ratio: number;
  redlineCpu: number;
  gitCpu: number;
  rssMB: number;
  changes: number;
  degraded: boolean;
}

/** Stand-in for the extract stage while it does not exist: tags out, blocks as paragraphs. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(?:\/?(?:p|div|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|nav|blockquote|pre|dt|dd)\b[^>]*|br\s*\/?)>/gi, '\n\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Extracted text of a fixture page: the real extract stage when it exists, else htmlToText. */
async function pageText(file: string, url: string): Promise<{ text: string; via: string }> {
  const body = readFileSync(file);
  const extractModule = join(root, 'src', 'extract', 'index.ts');
  if (existsSync(extractModule)) {
    try {
      const mod = (await import(pathToFileURL(extractModule).href)) as {
        extract?: (input: { body: Buffer; url?: string; kind?: string; contentType?: string }) => unknown;
      };
      if (typeof mod.extract === 'function') {
        const out = (await mod.extract({ body, url, kind: 'html', contentType: 'text/html' })) as { text?: unknown };
        if (typeof out?.text === 'string') return { text: out.text, via: 'src/extract' };
      }
    } catch (err) {
      console.error(`extract stage failed on ${file} (${(err as Error).message}); using the regex stand-in`);
    }
  }
  return { text: htmlToText(body.toString('utf8')), via: 'regex tag stripping (extract stage not available)' };
}

async function realCases(): Promise<{ cases: Case[]; via: string }> {
  const gov = join(fixtures, 'govpages');
  const pairs: [string, string, string, string][] = [
    ['fema', 'real_fema-hurricane-maria_2017-10-03.a.html', 'real_fema-hurricane-maria_2017-10-05_mojibake.b.html', 'https://www.fema.gov/hurricane-maria'],
    ['doe', 'real_doe-energy-gov-homepage_2017-09-late.a.html', 'real_doe-energy-gov-homepage_2017-09-29plus.b.html', 'https://energy.gov/'],
  ];
  const cases: Case[] = [];
  let via = '';
  for (const [name, fa, fb, url] of pairs) {
    const ta = await pageText(join(gov, fa), url);
    const tb = await pageText(join(gov, fb), url);
    via = ta.via;
    const a = join(work, `real-${name}.a.txt`);
    const b = join(work, `real-${name}.b.txt`);
    writeFileSync(a, ta.text);
    writeFileSync(b, tb.text);
    cases.push({ name: `real-${name}`, size: `${Math.round(ta.text.length / 1000)} KB text`, edit: 'real revision', a, b, synthetic: false });
  }
  // The same PDF letter extracted two ways: different line breaks and spacing, same words.
  const st = join(fixtures, 'statements');
  cases.push({
    name: 'real-letter-reflow',
    size: '8 KB text',
    edit: 'pdftotext vs -layout',
    a: join(st, '2019-10-04_open-letter-facebook_privacy-first.txt'),
    b: join(st, '2019-10-04_open-letter-facebook_privacy-first.layout.txt'),
    synthetic: false,
  });
  return { cases, via };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function timeRedline(a: string, b: string, runs: number) {
  const r = spawnSync(process.execPath, [...process.execArgv, join(here, 'diff-worker.ts'), a, b, String(runs)], { maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`diff worker failed on ${a}: ${r.stderr.toString().slice(0, 2000)}`);
  return JSON.parse(r.stdout.toString()) as {
    median: number;
    cpuMedian: number;
    gitMedian: number;
    gitCpuMedian: number;
    maxRssMB: number;
    changes: number;
    degraded: boolean;
  };
}

const fmt = (x: number, d = 1): string => x.toFixed(d);

export async function run(args: string[]): Promise<void> {
  const runsArg = args.indexOf('--runs');
  const quick = args.includes('--quick');
  const runs = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 5) : quick ? 5 : 21;
  mkdirSync(work, { recursive: true });
  const synthetic: Case[] = writeCorpus(work).map((c) => ({ ...c, synthetic: true }));
  const real = await realCases();
  const rows: Row[] = [];
  for (const c of [...synthetic, ...real.cases]) {
    const n = c.size === '2 MB' ? Math.max(3, Math.ceil(runs / 2)) : runs;
    const red = timeRedline(c.a, c.b, n);
    const git = red.gitMedian;
    const gitCpu = red.gitCpuMedian;
    const row: Row = {
      ...c,
      redline: red.median,
      git,
      ratio: red.median / git,
      redlineCpu: red.cpuMedian,
      gitCpu,
      rssMB: red.maxRssMB,
      changes: red.changes,
      degraded: red.degraded,
    };
    rows.push(row);
    console.error(`${c.name}: redline ${fmt(row.redline, 2)} ms, git ${fmt(git, 2)} ms, ratio ${fmt(row.ratio, 2)} (CPU ${fmt(row.redlineCpu, 1)} / ${fmt(gitCpu, 1)} ms)`);
  }
  const syn = rows.filter((r) => r.synthetic);
  const medianRatio = median(syn.map((r) => r.ratio));
  const maxRatio = Math.max(...syn.map((r) => r.ratio));
  const maxMs = Math.max(...syn.map((r) => r.redline));
  const table = [
    '| case | size | edit | Redline ms | git ms | ratio | Redline CPU ms | git CPU ms | CPU ratio | Redline peak RSS MB | changes | degraded |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.size} | ${r.edit} | ${fmt(r.redline, 2)} | ${fmt(r.git, 2)} | ${fmt(r.ratio, 2)} | ${fmt(r.redlineCpu, 1)} | ${fmt(r.gitCpu, 1)} | ${fmt(r.redlineCpu / Math.max(r.gitCpu, 0.5), 2)} | ${fmt(r.rssMB, 0)} | ${r.changes} | ${r.degraded ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const cpuMedianRatio = median(syn.map((r) => r.redlineCpu / Math.max(r.gitCpu, 0.5)));
  const summary = [
    `- median ratio over the 9 synthetic cases: **${fmt(medianRatio, 2)}** (target ≤ 1.0: ${verdict(medianRatio <= 1)})`,
    `- max ratio over the synthetic cases: **${fmt(maxRatio, 2)}** (target ≤ 2.0: ${verdict(maxRatio <= 2)})`,
    `- max Redline time over the synthetic cases: **${fmt(maxMs, 1)} ms** (target ≤ 250 ms: ${verdict(maxMs <= 250)})`,
    `- for reference, median CPU-time ratio over the synthetic cases: ${fmt(cpuMedianRatio, 2)} (git's CPU time has 1 ms resolution; a floor of 0.5 ms is used)`,
  ].join('\n');
  const env = [
    `Node ${process.version}, ${spawnSync('git', ['--version']).stdout.toString().trim()}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores, shared), ${new Date().toISOString().slice(0, 10)}.`,
    `Runs per case: ${runs} (2 MB: ${Math.max(3, Math.ceil(runs / 2))}); Redline in-process after ~1 s of warm-up runs, git as a whole process (spawn included), alternating run by run; medians.`,
    `Load average when the run ended: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (other developers share the 2 cores; the CPU columns are less sensitive to that).`,
    `Real pairs extracted with ${real.via}. Peak RSS is the whole worker process (Node itself is ~45 MB).`,
  ].join('\n');
  const md = `# Diff benchmark: Redline vs git word diff\n\nCommand: \`npm run bench -- diff\`. ${env}\n\n${table}\n\n${summary}\n`;
  console.log(`\n${table}\n\n${summary}`);
  writeFileSync(join(here, 'RESULTS-diff.md'), md);
}
