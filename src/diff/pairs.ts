/**
 * A growable list of matched index pairs (a[i] equals b[j]), always in
 * increasing order on both sides: the output of every alignment step.
 * `length` can be reset to roll back a failed attempt.
 */
export class Pairs {
  a: Int32Array;
  b: Int32Array;
  length = 0;

  constructor(capacity = 64) {
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  push(i: number, j: number): void {
    if (this.length === this.a.length) {
      const a = new Int32Array(this.a.length * 2);
      a.set(this.a);
      this.a = a;
      const b = new Int32Array(this.b.length * 2);
      b.set(this.b);
      this.b = b;
    }
    this.a[this.length] = i;
    this.b[this.length] = j;
    this.length++;
  }
}

/**
 * Time limit for one diffText call, checked by every search every few
 * thousand steps so that no single search can run past it.
 */
export class Budget {
  timedOut = false;
  /** Search steps left for the whole diff; once spent, remaining regions are compared coarsely. */
  workLeft: number;

  constructor(
    readonly deadline: number,
    /** Largest edit distance (in tokens, or units of a coarser pass) one search may explore. */
    readonly maxEditLength: number,
    /** Inner-loop steps one search may spend: bounds time on inputs the edit distance alone does not. */
    readonly workPerSearch: number,
    workTotal = Number.POSITIVE_INFINITY,
  ) {
    this.workLeft = workTotal;
  }

  expired(): boolean {
    if (!this.timedOut && performance.now() >= this.deadline) this.timedOut = true;
    return this.timedOut;
  }
}
