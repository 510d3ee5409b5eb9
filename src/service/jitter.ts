/**
 * Spreading one schedule tick over a window: each source gets a fixed offset derived from a
 * hash of its id (the same every tick and every restart, so a host sees a steady rhythm),
 * and one timer per group walks the sorted offsets, instead of one timer per source.
 */

export interface Member {
  id: string;
  /** Position in the jitter window, in [0, 1). */
  fraction: number;
}

/** FNV-1a over the UTF-16 code units of the id, scaled to [0, 1). */
export function jitterFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

export function sortedMembers(ids: Iterable<string>): Member[] {
  const members: Member[] = [];
  for (const id of ids) members.push({ id, fraction: jitterFraction(id) });
  members.sort((a, b) => a.fraction - b.fraction || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return members;
}

/** The window a group's checks are spread over: never more than half the schedule's period,
 *  so one tick's checks are all released before the next tick comes. */
export function jitterWindowMs(jitterMs: number, periodMs: number): number {
  if (!(jitterMs > 0) || !(periodMs > 0)) return 0;
  return Math.floor(Math.min(jitterMs, periodMs / 2));
}

export interface Sweep {
  /** Releases every member not yet released (a new tick arrived, or shutdown drains). */
  flush(): void;
  /** Stops releasing; unreleased members are dropped. */
  cancel(): void;
  readonly active: boolean;
}

/**
 * Releases `members` (sorted by fraction) over `windowMs` from now. `members` is used as a
 * snapshot: a reload builds a new array rather than editing this one.
 */
export function startSweep(
  members: readonly Member[],
  windowMs: number,
  release: (id: string) => void,
  clock: () => number = Date.now,
): Sweep {
  const t0 = clock();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let active = true;

  function step(): void {
    timer = undefined;
    if (!active) return;
    const elapsed = clock() - t0;
    while (next < members.length && members[next].fraction * windowMs <= elapsed) {
      release(members[next].id);
      next++;
    }
    if (next >= members.length) {
      active = false;
      return;
    }
    const wait = Math.max(1, Math.ceil(members[next].fraction * windowMs - elapsed));
    timer = setTimeout(step, wait);
  }

  step();

  return {
    flush() {
      if (!active) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      active = false;
      while (next < members.length) release(members[next++].id);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      active = false;
    },
    get active() {
      return active;
    },
  };
}
