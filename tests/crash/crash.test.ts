/**
 * Crashes (issue 6), the small version that runs in `npm test`: the worker (real config,
 * fetcher, store, outbox, webhook) is SIGKILLed at random points 10 times and restarted; then
 * `redline verify` passes, no log line is torn or repeated, every acknowledged version is in
 * the archive, and every stored change's alert reached the receiver and is recorded delivered
 * exactly once. `npm run bench -- crash` runs the same trial with 100 kills.
 */
import { afterAll, expect, it } from 'vitest';
import { audit, trial, type Trial } from './harness.js';

let t: Trial | undefined;
afterAll(async () => {
  await t?.cleanup();
});

it('survives 10 SIGKILLs at random points with nothing acknowledged lost and every change alerted once', { timeout: 240_000 }, async () => {
  const seed = Number(process.env.REDLINE_CRASH_SEED ?? Date.now() % 1_000_000);
  t = await trial({ kills: 10, sources: 4, seed });
  const a = await audit(t);
  expect(a.problems, `seed ${seed}`).toEqual([]);
  expect(t.killed).toBe(10);
  // The trial did real work between kills: versions were acknowledged and changes alerted.
  expect([...t.acked.values()].reduce((n, s) => n + s.size, 0)).toBeGreaterThan(0);
  expect(a.changeAlerts).toBeGreaterThan(0);
  console.log(
    `crash test seed ${seed}: ${t.killed} kills survived (${t.landed.startup} at startup, ${t.landed.afterAck} right after an ack, ${t.landed.betweenSendAndMark} between send and mark, ${t.landed.randomDelay} at a random moment); ` +
    `${t.cycles} cycles, ${a.versions} versions, ${a.changeAlerts} change alerts, all delivered; ${t.requests} webhook requests, ${a.duplicates} re-sent; ` +
    `${a.repairs} torn log tails repaired; ${(t.elapsedMs / 1000).toFixed(1)} s`,
  );
});
