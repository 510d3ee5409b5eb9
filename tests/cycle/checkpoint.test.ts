/**
 * Checkpoints of source state (src/core/checkpoint.ts): a fresh process must get exactly the
 * state the whole log folds to, while reading a bounded tail, and must not trust a checkpoint
 * the log does not back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsStore, type CheckEntry, type CheckInput, type FsStore } from '../../src/store/index.js';
import { advance, emptyState, StateCache, type SourceState } from '../../src/core/state.js';
import { CHECKPOINT_EVERY } from '../../src/core/checkpoint.js';
import { decideEvents, DEFAULT_POLICY } from '../../src/core/events.js';

let root: string;
let store: FsStore;
const ID = 'joint-statement';
const stateFile = () => path.join(root, 'sources', ID, 'state.json');

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'redline-checkpoint-'));
  store = await openFsStore(root);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

const fold = (entries: CheckEntry[]): SourceState => entries.reduce(advance, emptyState());

type Step = 'version' | 'unchanged' | 'unchanged-declared' | 'gone' | 'error' | 'restart';

/** Checks as the pipeline records them, through a StateCache; 'restart' starts a fresh one (a new process). */
async function play(steps: Step[], validators = true): Promise<void> {
  let cache = new StateCache(store);
  let t = Date.parse('2024-01-01T00:00:00Z');
  const policy = { ...DEFAULT_POLICY, removalConfirmations: 2 };
  for (const [i, st] of steps.entries()) {
    if (st === 'restart') {
      cache = new StateCache(store);
      continue;
    }
    t += 2 * 3600_000;
    const time = new Date(t).toISOString();
    const url = 'https://www.gov.example/statement';
    const state = await cache.get(ID);
    let input: CheckInput;
    if (st === 'version' || (st.startsWith('unchanged') && !state.current)) {
      input = {
        time, url, status: 200, outcome: state.current ? 'changed' : 'new', textHash: await store.putBlob(Buffer.from(`wording ${i}`)),
        ...(validators ? { etag: `"e${i}"` } : {}), meta: { declared: { updated: time.slice(0, 10) } },
      };
    } else if (st.startsWith('unchanged')) {
      input = {
        time, url, status: 304, outcome: 'unchanged', version: state.current!.version, textHash: state.current!.textHash,
        ...(st === 'unchanged-declared' ? { meta: { declared: { updated: time } } } : {}),
      };
    } else {
      input = { time, url, status: st === 'gone' ? 404 : 503, outcome: 'failed', version: state.current?.version, error: { code: 'http', message: st } };
    }
    const events = decideEvents(state, input, policy, t);
    if (events.length) input.meta = { ...input.meta, events };
    await cache.record(ID, state, await store.append(ID, input));
  }
}

/** A fresh process's state, and how many entries it read from the end of the log. */
async function freshState(): Promise<{ state: SourceState; read: number }> {
  let read = 0;
  const counting = Object.create(store) as FsStore;
  counting.recent = (source, stop) => store.recent(source, (e) => {
    read += 1;
    return stop(e);
  });
  return { state: await new StateCache(counting).get(ID), read };
}

const step = fc.constantFrom<Step>('version', 'unchanged', 'unchanged', 'unchanged', 'unchanged-declared', 'gone', 'error', 'restart');

describe('state checkpoints', () => {
  it('a fresh process gets the whole log\'s state, with checkpoints written along the way (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 120 }), fc.boolean(), async (steps, validators) => {
        await store.close();
        rmSync(root, { recursive: true, force: true });
        store = await openFsStore(root);
        await play(steps, validators);
        const whole = await store.log(ID);
        if (whole.length === 0) return;
        expect((await freshState()).state).toEqual(fold(whole));
      }),
      { numRuns: 30 },
    );
  });

  it('after 200 unchanged checks since the newest version, a fresh process reads a bounded tail', async () => {
    await play(['version', ...Array<Step>(200).fill('unchanged'), 'restart', 'unchanged']);
    const { state, read } = await freshState();
    expect(state).toEqual(fold(await store.log(ID)));
    expect(read).toBeLessThanOrEqual(CHECKPOINT_EVERY + 1);
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toMatchObject({ format: 1, seq: expect.any(Number) });
  });

  it('no checkpoint is written while a fresh read stays short', async () => {
    await play(['version', ...Array<Step>(CHECKPOINT_EVERY - 2).fill('unchanged')]);
    expect(() => readFileSync(stateFile())).toThrow(/ENOENT/);
  });

  it('ignores a checkpoint the log does not back (edited, or left from a log that was replaced)', async () => {
    await play(['version', ...Array<Step>(80).fill('unchanged')]);
    const honest = fold(await store.log(ID));
    const cp = JSON.parse(readFileSync(stateFile(), 'utf8'));
    // Same seq, another hash: the log is not the one the checkpoint was folded from.
    writeFileSync(stateFile(), JSON.stringify({ ...cp, hash: 'f'.repeat(64), state: { ...cp.state, removed: true } }));
    expect((await freshState()).state).toEqual(honest);
    // Unreadable (cut short by a crash: it is written without fsync), or naming an entry of another log.
    writeFileSync(stateFile(), '{"format":1,"seq":');
    expect((await freshState()).state).toEqual(honest);
    writeFileSync(stateFile(), JSON.stringify({ ...cp, seq: 3 }));
    expect((await freshState()).state).toEqual(honest);
  });

  it('verify accepts the state file beside a log', async () => {
    await play(['version', ...Array<Step>(40).fill('unchanged')]);
    const report = await store.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
