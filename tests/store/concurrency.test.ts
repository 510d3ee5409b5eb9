import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsStore, type CheckEntry } from '../../src/store/index.js';
import { check, readLines, tempDir } from './helpers/archive.js';

const REPO = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'helpers', 'lock-child.ts');

function startChild(mode: 'hold' | 'try', root: string): { child: ChildProcess; line: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, root], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const line = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`child ${mode} exited (${code}) before answering: ${err}`)));
  });
  return { child, line };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('concurrency', () => {
  let root: string;
  let cleanup: () => void;
  const children: ChildProcess[] = [];
  beforeEach(() => ({ dir: root, cleanup } = tempDir()));
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    cleanup();
  });

  it('keeps parallel appends to one source in call order and chained', async () => {
    const store = await openFsStore(root);
    const t = await store.putBlob(Buffer.from('text'));
    const calls: Promise<CheckEntry>[] = [];
    calls.push(store.append('s', check('new', { textHash: t })));
    for (let i = 1; i < 40; i++) {
      calls.push(store.append('s', check('unchanged', { textHash: t, meta: { call: i } })));
      // Another source in between, so the two queues interleave.
      calls.push(store.append('other', check('failed', { error: { code: 'X', message: `call ${i}` } })));
    }
    const results = await Promise.all(calls);
    const s = results.filter((e) => e.source === 's');
    expect(s.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(s.slice(1).map((e) => e.meta?.call)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    const log = await store.log('s');
    for (let i = 1; i < log.length; i++) expect(log[i].prev).toBe(log[i - 1].hash);
    expect(readLines(path.join(root, 'sources/s/log.jsonl'))).toHaveLength(40);
    expect((await store.log('other')).length).toBe(39);
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  });

  it('repairs a torn tail once when the first touches arrive together', async () => {
    const store = await openFsStore(root);
    const t = await store.putBlob(Buffer.from('text'));
    await store.append('s', check('new', { textHash: t }));
    await store.close();
    writeFileSync(path.join(root, 'sources/s/log.jsonl'), readFileSync(path.join(root, 'sources/s/log.jsonl'), 'utf8') + '{"torn":');
    const again = await openFsStore(root);
    const [head, log, appended] = await Promise.all([again.head('s'), again.log('s'), again.append('s', check('unchanged', { textHash: t }))]);
    expect(head?.seq).toBe(1);
    expect(log).toHaveLength(1);
    expect(appended.seq).toBe(2);
    expect(again.repairs()).toHaveLength(1);
    expect((await again.verify()).ok).toBe(true);
    await again.close();
  });

  it('refuses a second writer in the same process until the first closes', async () => {
    const first = await openFsStore(root);
    await expect(openFsStore(root)).rejects.toMatchObject({ code: 'E_LOCKED', message: expect.stringMatching(/this process/) });
    await first.close();
    expect(existsSync(path.join(root, 'LOCK'))).toBe(false);
    const second = await openFsStore(root);
    await second.close();
  });

  it('takes over a lock naming this pid that this process does not hold (restarted container)', async () => {
    const { hostname } = await import('node:os');
    writeFileSync(path.join(root, 'FORMAT'), 'redline-archive 1\n');
    writeFileSync(path.join(root, 'LOCK'), `${process.pid} ${hostname()} 2020-01-01T00:00:00.000Z\n`);
    const store = await openFsStore(root);
    expect(readFileSync(path.join(root, 'LOCK'), 'utf8')).not.toContain('2020-01-01');
    await store.close();
  });

  it('refuses a lock held on another host, saying how to clear it', async () => {
    writeFileSync(path.join(root, 'FORMAT'), 'redline-archive 1\n');
    writeFileSync(path.join(root, 'LOCK'), '4242 some-other-host 2020-01-01T00:00:00.000Z\n');
    await expect(openFsStore(root)).rejects.toMatchObject({
      code: 'E_LOCKED',
      message: expect.stringMatching(/process 4242 on some-other-host.*delete .*LOCK/),
    });
  });

  it('a second process cannot take the lock while the first holds it', async () => {
    const holder = startChild('hold', root);
    children.push(holder.child);
    const locked = await holder.line;
    expect(locked).toBe(`LOCKED ${holder.child.pid}`);
    expect(readFileSync(path.join(root, 'LOCK'), 'utf8')).toMatch(new RegExp(`^${holder.child.pid} `));

    // This process, and another child, are refused; a reader is not.
    await expect(openFsStore(root)).rejects.toMatchObject({ code: 'E_LOCKED', message: expect.stringContaining(`process ${holder.child.pid}`) });
    const other = startChild('try', root);
    children.push(other.child);
    expect(await other.line).toBe('REFUSED E_LOCKED');
    const reader = await openFsStore(root, { readOnly: true });
    expect((await reader.head('child'))?.seq).toBe(1);

    // Closing stdin makes the holder close the store, releasing the lock.
    holder.child.stdin!.end();
    expect(await exited(holder.child)).toBe(0);
    expect(existsSync(path.join(root, 'LOCK'))).toBe(false);
    const writer = await openFsStore(root);
    await writer.close();
  });

  it('takes over the lock of a process that died holding it', async () => {
    const holder = startChild('hold', root);
    children.push(holder.child);
    await holder.line;
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    // The dead holder could not clean up.
    expect(readFileSync(path.join(root, 'LOCK'), 'utf8')).toMatch(new RegExp(`^${holder.child.pid} `));
    const writer = await openFsStore(root);
    expect(readFileSync(path.join(root, 'LOCK'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    const head = await writer.head('child');
    const next = await writer.append('child', check('unchanged', { textHash: head!.textHash }));
    expect(next).toMatchObject({ seq: 2, prev: head!.hash });
    await writer.close();
  });
});
