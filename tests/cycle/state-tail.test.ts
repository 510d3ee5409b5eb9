/**
 * The cycle benchmark's flatness fix: source state read from the end of the log must equal
 * the fold over the whole log, and the backward reader must check lines as a full read does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsStore, type CheckEntry, type CheckInput, type FsStore, type Store } from '../../src/store/index.js';
import { advance, emptyState, stateEntries, type SourceState } from '../../src/core/state.js';
import { decideEvents, DEFAULT_POLICY } from '../../src/core/events.js';

let root: string;
let store: FsStore;
const ID = 'joint-statement';
const logFile = () => path.join(root, 'sources', ID, 'log.jsonl');

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'redline-state-tail-'));
  store = await openFsStore(root);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

function fold(entries: CheckEntry[]): SourceState {
  let s = emptyState();
  for (const e of entries) s = advance(s, e);
  return s;
}

/**
 * Every state field, and whether a success resets it or may keep it from before: a field
 * added to SourceState fails the type check here until it is sorted, and stateEntries must
 * read back far enough for each "kept" field.
 */
const FIELDS: Record<keyof Required<SourceState>, 'set or reset by every success' | 'kept from earlier entries'> = {
  current: 'kept from earlier entries',
  etag: 'kept from earlier entries',
  lastModified: 'kept from earlier entries',
  declared: 'kept from earlier entries',
  failStreak: 'set or reset by every success',
  failSince: 'set or reset by every success',
  goneStreak: 'set or reset by every success',
  goneSince: 'set or reset by every success',
  removed: 'set or reset by every success',
  failing: 'set or reset by every success',
};

type Step =
  | { kind: 'version'; validators: boolean; big: boolean; declared: boolean }
  | { kind: 'unchanged'; validators: boolean; declared: boolean }
  | { kind: 'gone' }
  | { kind: 'error' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('version' as const), validators: fc.boolean(), big: fc.boolean(), declared: fc.boolean() }),
  fc.record({ kind: fc.constant('unchanged' as const), validators: fc.boolean(), declared: fc.boolean() }),
  fc.constant({ kind: 'gone' as const }),
  fc.constant({ kind: 'error' as const }),
);

/** Appends checks the way the pipeline does: events decided from the state before each one. */
async function play(s: Store, steps: Step[]): Promise<void> {
  let state = emptyState();
  let t = Date.parse('2024-01-01T00:00:00Z');
  // Removal needs a run over an hour long: checks two hours apart make that reachable.
  const policy = { ...DEFAULT_POLICY, removalConfirmations: 2 };
  for (const [i, st] of steps.entries()) {
    t += 2 * 3600_000;
    const time = new Date(t).toISOString();
    const url = 'https://www.gov.example/statement';
    let input: CheckInput;
    if (st.kind === 'version' || (st.kind === 'unchanged' && !state.current)) {
      const big = st.kind === 'version' && st.big;
      const textHash = await s.putBlob(Buffer.from(`wording ${i}`));
      input = {
        time, url, status: 200, outcome: state.current ? 'changed' : 'new', textHash,
        ...(st.validators ? { etag: `"e${i}"`, lastModified: time } : {}),
        // A long line (a page with many links) crosses the backward reader's chunk edges.
        meta: {
          ...(big ? { links: Array.from({ length: 900 }, (_, k) => `https://www.gov.example/l/${i}/${k}`) } : {}),
          ...(st.declared ? { declared: { updated: time.slice(0, 10) } } : {}),
        },
      };
    } else if (st.kind === 'unchanged') {
      input = {
        time, url, status: 304, outcome: 'unchanged', version: state.current!.version, textHash: state.current!.textHash,
        ...(st.validators ? { etag: `"u${i}"` } : {}),
        // The pipeline keeps declarations on an unchanged check only when they changed.
        ...(st.declared ? { meta: { declared: { updated: time.slice(0, 10) } } } : {}),
      };
    } else {
      const gone = st.kind === 'gone';
      input = {
        time, url, status: gone ? 404 : 503, outcome: 'failed', version: state.current?.version,
        error: { code: 'http', message: `HTTP ${gone ? 404 : 503}` },
      };
    }
    const events = decideEvents(state, input, policy, t);
    if (events.length) input.meta = { ...input.meta, events };
    state = advance(state, await s.append(ID, input));
  }
}

describe('state from the end of the log', () => {
  it('equals the fold over the whole log, read from the file and from memory (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        await store.close();
        rmSync(root, { recursive: true, force: true });
        store = await openFsStore(root);
        await play(store, steps);
        // A fresh store reads the file backwards; the one that wrote it may answer from memory.
        const fresh = await openFsStore(root, { readOnly: true });
        const whole = await fresh.log(ID);
        const expected = fold(whole);
        const fromFile = await stateEntries(await openFsStore(root, { readOnly: true }), ID);
        expect(fold(fromFile)).toEqual(expected);
        expect(fromFile).toEqual(whole.slice(whole.length - fromFile.length));
        expect(fold(await stateEntries(fresh, ID))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('reads back only to the current version when the server sends validators and the page declares dates', async () => {
    const steps: Step[] = [{ kind: 'version', validators: true, big: false, declared: true }];
    for (let i = 0; i < 30; i++) {
      steps.push({ kind: 'version', validators: true, big: false, declared: true }, { kind: 'unchanged', validators: true, declared: false });
    }
    steps.push({ kind: 'unchanged', validators: true, declared: false }, { kind: 'error' });
    await play(store, steps);
    const reader = await openFsStore(root, { readOnly: true });
    const got = await stateEntries(reader, ID);
    // error, unchanged, unchanged, changed: the version entry is the fourth from the end.
    expect(got.map((e) => e.outcome)).toEqual(['changed', 'unchanged', 'unchanged', 'failed']);
    expect(fold(got)).toEqual(fold(await reader.log(ID)));
  });

  it('keeps declarations from before the current version when the current one declares none', async () => {
    await play(store, [
      { kind: 'version', validators: true, big: false, declared: true },
      { kind: 'version', validators: true, big: false, declared: false },
      { kind: 'unchanged', validators: true, declared: false },
    ]);
    const reader = await openFsStore(root, { readOnly: true });
    const state = fold(await stateEntries(reader, ID));
    expect(state.declared).toEqual({ updated: expect.any(String) });
    expect(state).toEqual(fold(await reader.log(ID)));
    expect(Object.values(FIELDS).filter((f) => f === 'kept from earlier entries')).toHaveLength(4);
  });

  it('gives an empty list for a source with no log', async () => {
    expect(await store.recent('never-checked', () => false)).toEqual([]);
    expect(await stateEntries(store, 'never-checked')).toEqual([]);
  });
});

describe('FsStore.recent', () => {
  it('returns newest first, stops at the entry the caller names, and hands out copies', async () => {
    await play(store, [
      { kind: 'version', validators: true, big: true, declared: false },
      { kind: 'unchanged', validators: true, declared: false },
      { kind: 'version', validators: false, big: true, declared: false },
      { kind: 'unchanged', validators: false, declared: false },
    ]);
    const reader = await openFsStore(root, { readOnly: true });
    const seen: number[] = [];
    const got = await reader.recent(ID, (e) => {
      seen.push(e.seq);
      return e.seq === 2;
    });
    expect(got.map((e) => e.seq)).toEqual([4, 3, 2]);
    expect(seen).toEqual([4, 3, 2]);
    expect(await reader.recent(ID, () => false)).toEqual((await reader.log(ID)).reverse());
    got[0]!.outcome = 'failed';
    expect((await reader.recent(ID, () => true))[0]!.outcome).toBe('unchanged');
  });

  it('refuses an altered line it reads, naming the log and the byte offset', async () => {
    await play(store, [
      { kind: 'version', validators: true, big: false, declared: false },
      { kind: 'unchanged', validators: true, declared: false },
      { kind: 'unchanged', validators: true, declared: false },
    ]);
    await store.close();
    const lines = readFileSync(logFile(), 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"status":304', '"status":305');
    writeFileSync(logFile(), lines.join('\n'));
    store = await openFsStore(root);
    const offset = Buffer.byteLength(`${lines[0]}\n`);
    await expect(store.recent(ID, () => false)).rejects.toThrow(new RegExp(`log\\.jsonl\\) is damaged at byte ${offset}: .*altered`));
    // Entries newer than the damage are still readable when the caller stops before it.
    expect((await store.recent(ID, () => true)).map((e) => e.seq)).toEqual([3]);
  });

  it('refuses a line that does not link to the one after it', async () => {
    await play(store, [
      { kind: 'version', validators: true, big: false, declared: false },
      { kind: 'unchanged', validators: true, declared: false },
      { kind: 'unchanged', validators: true, declared: false },
    ]);
    await store.close();
    const lines = readFileSync(logFile(), 'utf8').split('\n');
    // Drop the middle line: both neighbours are intact, the chain between them is not.
    writeFileSync(logFile(), [lines[0], lines[2], ''].join('\n'));
    store = await openFsStore(root);
    await expect(store.recent(ID, () => false)).rejects.toThrow(/seq 1\): the entry does not link to the one after it/);
  });
});
