/**
 * `soak --heap-snapshots` and `bench heapdiff`: snapshots written by the preload into a real child
 * process, then read back. A process that keeps what it makes must show its objects as
 * survivors under the container keeping them; one that replaces them must not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { categoryOf, growth, growthByCategory, HeapSnapshot, survivors } from '../../bench/heap/snapshot.js';
import { parseSoakArgs } from '../../bench/soak/options.js';
import { preloadEnv } from '../../bench/soak/watch.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs a child that makes 20 `Tracked` objects every 10 ms, all kept (`keep`) or under 20 keys
 * (`replace`), until the third snapshot is on disk: however slow the machine, objects are made
 * between every two snapshots.
 */
function snapshotsOf(mode: 'keep' | 'replace'): HeapSnapshot[] {
  const dir = mkdtempSync(join(tmpdir(), 'redline-heapsnap-'));
  dirs.push(dir);
  const script = `
    class Tracked { constructor(i) { this.i = i; this.label = 'tracked object ' + i; } }
    const held = new Map(); let n = 0;
    const t = setInterval(() => {
      if (require('node:fs').readdirSync(process.env.REDLINE_HEAP_SNAPSHOT_DIR).length === 3) return clearInterval(t);
      for (let k = 0; k < 20; k++) { const o = new Tracked(n++); held.set(${mode === 'keep' ? 'o.i' : 'k'}, o); }
    }, 10);`;
  // At 0.3, 0.6 and 0.9 s after the start.
  const env = { ...process.env, ...preloadEnv({ heapSnapshots: { minutes: [0.005, 0.01, 0.015], dir } }) };
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/\[heap-snapshots\] pid \d+ writes snapshots at 0\.005, 0\.01, 0\.015 min/);
  const names = ['watch-0.005min.heapsnapshot', 'watch-0.01min.heapsnapshot', 'watch-0.015min.heapsnapshot'];
  expect(readdirSync(dir).sort()).toEqual([...names].sort());
  return names.map((f) => new HeapSnapshot(join(dir, f)));
}

describe('heap snapshots of a soak', () => {
  it('finds what a leaking process keeps, and the Map that keeps it', () => {
    const [a, b, c] = snapshotsOf('keep');
    const grew = growth(a!, c!).find((g) => g.kind === 'object:Tracked')!;
    // 0.6 s at 20 objects per 10 ms is 1,200; a busy machine makes it fewer, never none.
    expect(grew.dCount).toBeGreaterThan(100);
    expect(growthByCategory(growth(a!, c!))['program data'].dBytes).toBeGreaterThan(100 * 24);
    const s = survivors(a!, b!, c!);
    const tracked = s.byKind.find((k) => k.kind === 'object:Tracked')!;
    expect(tracked.count).toBeGreaterThan(50);
    expect(s.byHolder[0]!.holder).toMatch(/^array: @\d+$|^object:Map @\d+$/);
    const example = s.examples.find((e) => e.kind === 'object:Tracked')!;
    expect(example.path.join('\n')).toMatch(/object:Map/);
  });

  it('finds no survivors of a process that replaces what it makes', () => {
    const [a, b, c] = snapshotsOf('replace');
    const s = survivors(a!, b!, c!);
    expect(s.byKind.find((k) => k.kind === 'object:Tracked')).toBeUndefined();
    expect(growth(a!, c!).find((g) => g.kind === 'object:Tracked')?.dCount).toBe(0);
  });

  it("tells the program's data from V8's compiled code and internals", () => {
    expect(categoryOf('object:Tracked')).toBe('program data');
    expect(categoryOf('concatenated string')).toBe('program data');
    expect(categoryOf('code:(code deopt data)')).toBe('compiled code and feedback');
    expect(categoryOf('hidden:system / WeakArrayList')).toBe('V8 object shapes and internals');
    expect(categoryOf('object shape:system / Map')).toBe('V8 object shapes and internals');
  });

  it('takes minutes that rise, before the run ends', () => {
    const d = { out: '/tmp/x.md', redline: '/tmp' };
    expect(parseSoakArgs([], d).heapSnapshots).toEqual([]);
    expect(parseSoakArgs(['--minutes', '150', '--heap-snapshots', '30,80,130'], d).heapSnapshots).toEqual([30, 80, 130]);
    expect(() => parseSoakArgs(['--heap-snapshots', '80,30'], d)).toThrow(/rising and > 0/);
    expect(() => parseSoakArgs(['--minutes', '60', '--heap-snapshots', '30,80'], d)).toThrow(/--heap-snapshots 80: the run ends at 60 min/);
  });

  it('says what is wrong with a file that is not a snapshot', () => {
    expect(() => new HeapSnapshot('/x/y.heapsnapshot', '{"nodes":[]}')).toThrow(/\/x\/y\.heapsnapshot is not a V8 heap snapshot/);
    expect(() => new HeapSnapshot('/x/y.heapsnapshot', '{"nodes":')).toThrow(/cannot read heap snapshot \/x\/y\.heapsnapshot: .*JSON/);
    expect(() => new HeapSnapshot('/no/such.heapsnapshot')).toThrow(/cannot read heap snapshot \/no\/such\.heapsnapshot: ENOENT/);
  });
});
