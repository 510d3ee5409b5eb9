/**
 * Readings of the watch process from /proc (Linux): VmRSS and VmHWM from status, utime+stime
 * from stat; disk use of a folder as allocated blocks (what `du` counts). The samples file is
 * rewritten whole (temp + rename) after every sample, so an interrupted run leaves its data.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcReading {
  rssKB: number;
  hwmKB: number;
  cpuMs: number;
}

let clockTicks: number | undefined;

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    clockTicks = Number.isInteger(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

function statusField(text: string, name: string, pid: number): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`/proc/${pid}/status has no ${name} line (is ${pid} a zombie or a kernel thread?)`);
  return Number(m[1]);
}

/** Undefined when the process is gone. */
export function readProc(pid: number): ProcReading | undefined {
  let status: string;
  let stat: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
    throw err;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(after[11]) + Number(after[12]);
  if (/^State:\s+Z/m.test(status)) return undefined;
  return {
    rssKB: statusField(status, 'VmRSS', pid),
    hwmKB: statusField(status, 'VmHWM', pid),
    cpuMs: (ticks * 1000) / ticksPerSecond(),
  };
}

/** Bytes allocated on disk under `dir` (files whose write is mid-rename are skipped). */
export function diskBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      try {
        const st = lstatSync(p);
        total += st.blocks * 512;
        if (st.isDirectory()) walk(p);
      } catch {
        // Renamed or deleted between readdir and lstat: a temp file of a write in progress.
      }
    }
  };
  walk(dir);
  return total;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value)}\n`);
  renameSync(tmp, file);
}
