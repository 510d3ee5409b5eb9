/**
 * The pages the soak's nginx serves, changed while `redline watch` runs: revisions (one
 * sentence replaced, bench/cycle/pages.ts) and a fixed set of pages that go away and come
 * back, either as a 404 (file deleted: removal/restore) or as a 403 (the file replaced by a
 * symlink to itself, which nginx answers with 403: failing/recovered, since a 404 counts
 * towards a removal and never towards "failing"). Every write is temp + rename, so nginx
 * never serves half a page (that would be a version of its own and spoil the counts).
 */
import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPage, revisionModel } from '../cycle/pages.js';

export type FlapKind = 'gone' | 'broken';

export interface FlapTiming {
  /** How long a page is served, then how long it is away, per cycle. */
  onMs: number;
  offMs: number;
}

/**
 * Where page number `slot` (of `slots`) is in its cycle at `t` ms after flapping began: the
 * cycles are staggered so the pages are not all away at once. `period` counts off phases begun.
 */
export function flapPhase(t: number, slot: number, slots: number, timing: FlapTiming): { off: boolean; period: number } {
  const cycle = timing.onMs + timing.offMs;
  const offset = (slot * cycle) / Math.max(1, slots);
  if (t < offset) return { off: false, period: 0 };
  const into = t - offset;
  const k = Math.floor(into / cycle);
  const off = into - k * cycle >= timing.onMs;
  return { off, period: off ? k + 1 : k };
}

export interface FlapPage {
  index: number;
  kind: FlapKind;
  slot: number;
  off: boolean;
  /** Off phases completed (page back): each one must yield removed+restored or failing+recovered. */
  completed: number;
  /** The off phase being served now (its number), to end it only when its full length has passed. */
  period: number;
}

export class SoakPages {
  readonly rev: Int32Array;
  /** When each page file was last written (ms, caller's clock): nginx validators have 1 s resolution. */
  readonly writtenAt: Float64Array;
  readonly flaps: FlapPage[];

  constructor(
    private readonly root: string,
    private readonly seed: number,
    n: number,
    flaps: { gone: number[]; broken: number[] },
  ) {
    this.rev = new Int32Array(n);
    this.writtenAt = new Float64Array(n);
    const all = [...flaps.gone.map((index) => ({ index, kind: 'gone' as const })), ...flaps.broken.map((index) => ({ index, kind: 'broken' as const }))];
    this.flaps = all.map((f, slot) => ({ ...f, slot, off: false, completed: 0, period: 0 }));
  }

  private file(i: number): string {
    return join(this.root, 's', `${i}.html`);
  }

  private writeCurrent(i: number, now: number): void {
    const tmp = join(this.root, 's', `.tmp-${i}.html`);
    writeFileSync(tmp, renderPage(revisionModel(this.seed, i, this.rev[i]!), i));
    renameSync(tmp, this.file(i));
    this.writtenAt[i] = now;
  }

  /** Rewrites page i as its next revision; returns the revision number now served. */
  change(i: number, now: number): number {
    this.rev[i] = this.rev[i]! + 1;
    this.writeCurrent(i, now);
    return this.rev[i]!;
  }

  isFlapping(i: number): boolean {
    return this.flaps.some((f) => f.index === i);
  }

  private takeAway(f: FlapPage): void {
    const file = this.file(f.index);
    if (f.kind === 'gone') {
      rmSync(file, { force: true });
      return;
    }
    // A symlink to its own name: open() fails with ELOOP, which nginx answers with 403.
    const link = join(this.root, 's', `.tmp-${f.index}.lnk`);
    rmSync(link, { force: true });
    symlinkSync(`${f.index}.html`, link);
    renameSync(link, file);
  }

  /**
   * Brings each flapping page to where its cycle says it is at `t` ms after flapping began.
   * When `stopping`, no page goes away again and a page away comes back only once its off
   * phase has run its full length, so every off phase begun is long enough to raise its events.
   */
  flapTick(t: number, now: number, timing: FlapTiming, stopping: boolean): void {
    for (const f of this.flaps) {
      const p = flapPhase(t, f.slot, this.flaps.length, timing);
      if (!f.off && p.off && !stopping) {
        this.takeAway(f);
        f.off = true;
        f.period = p.period;
      } else if (f.off && (!p.off || p.period !== f.period)) {
        this.writeCurrent(f.index, now);
        f.off = false;
        f.completed++;
      }
    }
  }

  anyAway(): boolean {
    return this.flaps.some((f) => f.off);
  }

  /** Status events each flapping page's completed off phases call for, by source id. */
  expectedStatusEvents(idOf: (i: number) => string): Map<string, Record<string, number>> {
    const out = new Map<string, Record<string, number>>();
    for (const f of this.flaps) {
      out.set(idOf(f.index), f.kind === 'gone' ? { removed: f.completed, restored: f.completed } : { failing: f.completed, recovered: f.completed });
    }
    return out;
  }
}
