import { Writable } from 'node:stream';
import pino from 'pino';
import { parseConfigText } from '../../src/config/index.js';
import type { RedlineConfig, SourceConfig } from '../../src/config/types.js';
import type { RunCheckContext } from '../../src/service/types.js';

// Built by the real config loader, so test sources carry every field the config stage fills in.
const template: RedlineConfig = parseConfigText(
  'timezone: UTC\nsources:\n  - id: template\n    url: http://127.0.0.1:9/template\n',
  '/nonexistent/redline.yaml',
  {},
);

export function source(id: string, schedule: string, extra: Partial<SourceConfig> = {}): SourceConfig {
  const base = template.sources[0];
  return {
    ...base,
    id,
    url: `http://127.0.0.1:9/${id}`,
    schedule,
    // perHostConcurrency high, so scheduler tests measure global concurrency; queue tests cover the per-host cap.
    fetch: { ...base.fetch, schedule, perHostConcurrency: 100 },
    ...extra,
  };
}

export function watchConfig(sources: SourceConfig[], defaultSchedule: string, timezone = 'UTC'): RedlineConfig {
  return { ...template, timezone, defaults: { ...template.defaults, schedule: defaultSchedule }, sources };
}

/** A pino logger whose lines land in `lines` (parsed). */
export function memoryLogger(level = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

export interface Run {
  id: string;
  start: number;
  end?: number;
  aborted?: boolean;
}

/**
 * A check that records when it ran. `durationMs(id)` says how long each takes; it ends early
 * (rejecting) when its signal is aborted.
 */
export function recordingCheck(durationMs: (id: string) => number = () => 0) {
  const runs: Run[] = [];
  let active = 0;
  let maxActive = 0;
  const check = (src: SourceConfig, ctx: RunCheckContext): Promise<unknown> => {
    const run: Run = { id: src.id, start: Date.now() };
    runs.push(run);
    active++;
    maxActive = Math.max(maxActive, active);
    return new Promise((resolve, reject) => {
      const finish = (aborted: boolean) => {
        run.end = Date.now();
        run.aborted = aborted;
        active--;
        if (aborted) reject(ctx.signal.reason);
        else resolve({ outcome: 'unchanged' });
      };
      const ms = durationMs(src.id);
      const timer = setTimeout(() => finish(false), ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        finish(true);
      });
    });
  };
  return {
    check,
    runs,
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
    of: (id: string) => runs.filter((r) => r.id === id),
  };
}

/** True when no two runs of the same source overlap in time. */
export function overlapping(runs: Run[]): string[] {
  const byId = new Map<string, Run[]>();
  for (const r of runs) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const bad: string[] = [];
  for (const [id, list] of byId) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      const prevEnd = list[i - 1].end;
      if (prevEnd === undefined || list[i].start < prevEnd) bad.push(id);
    }
  }
  return bad;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
