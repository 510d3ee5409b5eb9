import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blame } from '../../src/analyze/index.js';
import type { FsStore } from '../../src/store/index.js';
import { fixtureText } from './fixtures.js';
import { tempStore, timeOf, writeVersions } from './store.js';

const v1 = fixtureText('e2ee');
const MUST = 'We urge industry to address our serious concerns';
const v2 = v1.replace(MUST, 'We ask industry to address our serious concerns'); // edited
const v3 = v2.replace('UNICEF estimates that one in three internet users is a child.', 'UNICEF estimates that one in three internet users is a child. Offenders exploit this.'); // added
const v4 = v3.replace(' Offenders exploit this.', ''); // removed again
const v5 = v4.replace(' Offenders exploit this.', '').replace('is a child.', 'is a child. Offenders exploit this.'); // restored

let store: FsStore;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
  await writeVersions(store, 'e2ee', [v1, v2, v3, v4, v4, v5]);
});
afterAll(async () => cleanup());

describe('blame', () => {
  it('dates every sentence of the latest version and says what an edited one said before', async () => {
    const lines = await blame(store, 'e2ee');
    expect(lines.map((l) => l.sentence).join(' ')).toBe(v5.replace(/\s+/g, ' '));
    const first = lines[0];
    expect(first).toEqual({ sentence: 'International Statement: End-To-End Encryption And Public Safety', paragraph: 1, since: { version: 1, time: timeOf(1) } });
    const edited = lines.find((l) => l.sentence.startsWith('We ask industry'))!;
    expect(edited.since).toEqual({ version: 2, time: timeOf(2) });
    expect(edited.previously).toEqual({ text: expect.stringContaining(MUST), version: 1 });
    expect(edited.paragraph).toBe(3);
  });

  it('restarts "since" when a sentence comes back, keeping when it first appeared', async () => {
    const lines = await blame(store, 'e2ee');
    const back = lines.find((l) => l.sentence === 'Offenders exploit this.')!;
    expect(back.since).toEqual({ version: 6, time: timeOf(6) });
    expect(back.firstAppeared).toEqual({ version: 3, time: timeOf(3) });
    expect(back.previously).toBeUndefined();
  });

  it('blames an earlier version as it was then', async () => {
    const lines = await blame(store, 'e2ee', 3);
    expect(lines.find((l) => l.sentence === 'Offenders exploit this.')?.since).toEqual({ version: 3, time: timeOf(3) });
    expect(lines.find((l) => l.sentence.startsWith('We ask industry'))?.since.version).toBe(2);
    // Version 5 re-stored version 4's text: nothing changed, so nothing is dated 5.
    expect((await blame(store, 'e2ee', 5)).some((l) => l.since.version === 5)).toBe(false);
  });

  it('explains an unknown source or version', async () => {
    await expect(blame(store, 'nope')).rejects.toThrow(/source "nope" has no versions/);
    await expect(blame(store, 'e2ee', 9)).rejects.toThrow(/no version 9 \(versions 1–6\)/);
  });
});
