/**
 * `npm run bench -- crash [--kills N] [--sources K] [--seed S] [--keep]`: the crash trial of
 * tests/crash at full size (100 SIGKILLs by default). A worker process checks K loopback
 * statements that change every cycle and delivers their alerts to a loopback webhook; it is
 * killed at random points and restarted. Then the archive and outbox are audited: `redline
 * verify` passes, no log line is torn or repeated, every acknowledged version is present, and
 * every stored change's alert was delivered at least once and recorded delivered once.
 * Prints the figures and writes them to bench/RESULTS-crash.md; exits 1 on any problem.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { audit, trial } from '../tests/crash/harness.js';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number, got ${JSON.stringify(args[at + 1])}`);
  return value;
}

export async function run(args: string[]): Promise<void> {
  const kills = option(args, '--kills', 100);
  const sources = option(args, '--sources', 6);
  const seed = option(args, '--seed', (Date.now() % 1_000_000) + 1);
  console.log(`crash trial: ${kills} SIGKILLs, ${sources} sources, seed ${seed} (replay with --seed ${seed})`);
  const t = await trial({ kills, sources, seed, log: (line) => console.log(`  ${line}`) });
  try {
    const a = await audit(t);
    const ackedVersions = [...t.acked.values()].reduce((n, s) => n + s.size, 0);
    const rows: [string, string][] = [
      ['kills survived', `${t.killed} of ${t.kills}`],
      ['kill timing', `${t.landed.startup} at startup, ${t.landed.afterAck} right after an ack, ${t.landed.betweenSendAndMark} between send and mark, ${t.landed.randomDelay} at a random moment (or late, when the planned moment never came)`],
      ['check cycles finished', String(t.cycles)],
      ['versions acknowledged / in the archive', `${ackedVersions} / ${a.versions}`],
      ['log entries', String(a.entries)],
      ['change alerts (all delivered)', `${a.changeAlerts} stored changes, ${a.delivered} deliveries recorded`],
      ['webhook requests', `${t.requests} (${a.duplicates} re-sent after a kill between send and mark)`],
      ['torn log tails repaired on restart', String(a.repairs)],
      ['leftover temp files', String(a.leftovers)],
      ['unreferenced blobs', a.orphanNote ?? 'none'],
      ['redline verify', `exit ${a.verifyCli.code}: ${a.verifyCli.out.trim().split('\n')[0]}`],
      ['problems', a.problems.length ? a.problems.slice(0, 10).join('; ') : 'none'],
      ['wall time', `${(t.elapsedMs / 1000).toFixed(1)} s (${(t.elapsedMs / Math.max(1, t.kills) / 1000).toFixed(2)} s per kill-restart, mostly worker start-up)`],
    ];
    const table = ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
    const machine = `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), shared with other work`;
    console.log(`\n${table}\n`);
    writeFileSync(
      join(import.meta.dirname, 'RESULTS-crash.md'),
      `# Crash trial (npm run bench -- crash)\n\n${new Date().toISOString().slice(0, 10)}, ${machine}; ${kills} kills, ${sources} sources, seed ${seed}.\n\n${table}\n`,
    );
    if (a.problems.length) {
      console.error(`FAILED: ${a.problems.length} problem(s); archive kept at ${t.dir}`);
      process.exitCode = 1;
    }
  } finally {
    if (!args.includes('--keep') && process.exitCode !== 1) await t.cleanup();
  }
}
