import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'fixtures', 'watch-child.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'redline-service-'));
const configPath = path.join(dir, 'redline.yaml');
const recordPath = path.join(dir, 'record.txt');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function watchList(sources: Array<{ id: string; schedule?: string; tags?: string[] }>): string {
  const lines = ['# test watch list', 'archive: ./snapshots', 'timezone: UTC', 'defaults:', '  schedule: "*/1 * * * * *"', 'sources:'];
  for (const s of sources) {
    lines.push(`  - id: ${s.id}`, `    url: http://127.0.0.1:9/${s.id}`);
    if (s.schedule) lines.push(`    schedule: "${s.schedule}"`);
    if (s.tags) lines.push(`    tags: [${s.tags.join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/** Saves the way editors do: a temp file renamed over the old one. */
function save(text: string): void {
  writeFileSync(`${configPath}.tmp`, text);
  renameSync(`${configPath}.tmp`, configPath);
}

interface Record {
  kind: string;
  id: string;
  at: number;
}
function records(): Record[] {
  let text = '';
  try {
    text = readFileSync(recordPath, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [kind, id, at] = l.split(' ');
      return { kind, id, at: Number(at) };
    });
}
const count = (kind: string, id: string, after = 0) => records().filter((r) => r.kind === kind && r.id === id && r.at > after).length;

function start(): { child: ChildProcess; logs: Array<{ [k: string]: unknown }>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, configPath, recordPath], {
    cwd: path.resolve(here, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<{ [k: string]: unknown }> = [];
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, logs, exit, stderr: () => stderr };
}

const logged = (logs: Array<{ [k: string]: unknown }>, msg: string) => logs.filter((l) => l.msg === msg);

describe('redline watch as a real process', () => {
  it('reloads on file edit and SIGHUP, keeps the old list on a bad edit, and exits 0 on SIGTERM with checks finished', async () => {
    save(watchList([{ id: 'a' }, { id: 'b', tags: ['alerting'] }]));
    const { child, logs, exit, stderr } = start();
    try {
      await waitFor(() => count('end', 'a') >= 1 && count('end', 'b') >= 1, 15_000, `first checks (stderr: ${stderr()})`);
      expect(logged(logs, 'watching')).toHaveLength(1);
      expect(logs.filter((l) => l.msg === 'check' && l.source === 'a' && l.outcome === 'unchanged').length).toBeGreaterThanOrEqual(1);
      // b reported an alert: the outbox was asked to deliver right away, not on its 60 s timer.
      await waitFor(() => records().some((r) => r.kind === 'deliver'), 3000, 'delivery after an alert');

      // 1. An edit noticed by the file watch alone: b removed, c added.
      save(watchList([{ id: 'a' }, { id: 'c' }]));
      await waitFor(() => logged(logs, 'watch list reloaded').length >= 1, 5000, 'reload after the edit');
      const reloaded = logged(logs, 'watch list reloaded')[0];
      expect(reloaded).toMatchObject({ reason: 'file changed', added: ['c'], removed: ['b'] });
      const reloadedAt = Date.parse(String(reloaded.time));
      await waitFor(() => count('end', 'c') >= 2, 5000, 'c checked twice');
      // A b check already in flight at the reload may still start its "end"; none starts after.
      expect(count('start', 'b', reloadedAt + 50)).toBe(0);

      // 2. A bad edit, announced with SIGHUP: reported with its line, the old list keeps running.
      save(watchList([{ id: 'a', schedule: 'every minute' }, { id: 'c' }, { id: 'd' }]));
      child.kill('SIGHUP');
      await waitFor(() => logged(logs, 'config reload failed; the previous watch list keeps running. Fix the file and save it again (or send SIGHUP)').length >= 1, 5000, 'reload failure logged');
      const failure = logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('config reload failed'))!;
      expect(String(failure.error)).toMatch(/redline\.yaml:\d+:\d+/);
      expect(String(failure.error)).toMatch(/every minute/);
      const failedAt = Date.parse(String(failure.time));
      await waitFor(() => count('start', 'a', failedAt) >= 1 && count('start', 'c', failedAt) >= 1, 5000, 'old list still running');
      expect(count('start', 'd')).toBe(0);

      // 3. SIGTERM while a check is in flight.
      await waitFor(() => {
        const rs = records();
        const lastStart = rs.filter((r) => r.kind === 'start').at(-1);
        return lastStart !== undefined && !rs.some((r) => r.kind === 'end' && r.id === lastStart.id && r.at >= lastStart.at);
      }, 5000, 'a check in flight');
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const rs = records();
    const starts = rs.filter((r) => r.kind === 'start').length;
    expect(rs.filter((r) => r.kind === 'end').length).toBe(starts);
    const stopped = logged(logs, 'stopped')[0];
    expect(stopped).toMatchObject({ abandoned: [] });
    expect(Number(stopped.finished)).toBeGreaterThanOrEqual(1);
    // The final outbox flush comes after the last check ended.
    const lastEnd = Math.max(...rs.filter((r) => r.kind === 'end').map((r) => r.at));
    expect(rs.filter((r) => r.kind === 'deliver').some((r) => r.at >= lastEnd)).toBe(true);
  });

  it('after a restart runs only what came due while it was down', async () => {
    // Yearly schedule: a and c were checked this year (above), "fresh" never was.
    save(watchList([{ id: 'a', schedule: '0 0 0 1 1 *' }, { id: 'c', schedule: '0 0 0 1 1 *' }, { id: 'fresh', schedule: '0 0 0 1 1 *' }]));
    const before = records().length;
    const { child, logs, exit, stderr } = start();
    try {
      await waitFor(() => count('end', 'fresh') === 1, 15_000, `fresh caught up (stderr: ${stderr()})`);
      await waitFor(() => logged(logs, 'watching').length === 1, 3000, 'service up');
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const after = records().slice(before).filter((r) => r.kind !== 'deliver');
    expect(after.map((r) => `${r.kind} ${r.id}`)).toEqual(['start fresh', 'end fresh']);
  });
});
