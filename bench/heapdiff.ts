/**
 * `npm run bench -- heapdiff A.heapsnapshot B.heapsnapshot [C.heapsnapshot]`: what grew in a
 * process's heap between snapshots (for instance those `npm run bench -- soak --heap-snapshots`
 * takes). Two files: count and bytes per kind of object, and the change. Three: the objects
 * born between A and B that are still alive at C, by kind and by the older object holding them;
 * a leak is a holder whose row grows with the time between the snapshots.
 */
import { growth, growthByCategory, HeapSnapshot, survivors } from './heap/snapshot.js';

const USAGE = 'npm run bench -- heapdiff A.heapsnapshot B.heapsnapshot [C.heapsnapshot] [--top 30]';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const signed = (n: number, s: string) => (n > 0 ? `+${s}` : s);

export function run(args: string[]): void {
  let top = 30;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') {
      top = Number(args[++i]);
      if (!Number.isInteger(top) || top < 1) throw new Error(`--top needs a whole number ≥ 1, got ${JSON.stringify(args[i])}. Usage: ${USAGE}`);
    } else if (args[i]!.startsWith('--')) throw new Error(`unknown option ${args[i]}. Usage: ${USAGE}`);
    else files.push(args[i]!);
  }
  if (files.length < 2 || files.length > 3) throw new Error(`give two or three snapshot files, oldest first. Usage: ${USAGE}`);
  const snaps = files.map((f) => new HeapSnapshot(f));
  for (const s of snaps) console.log(`${s.file}: ${s.count} objects, ${kb(s.totalBytes())}`);

  const rows = growth(snaps[0]!, snaps.at(-1)!);
  console.log(`\nGrowth from ${files[0]} to ${files.at(-1)}:`);
  for (const [name, t] of Object.entries(growthByCategory(rows))) console.log(`${signed(t.dBytes, kb(t.dBytes)).padStart(12)} ${signed(t.dCount, String(t.dCount)).padStart(8)}  ${name}`);
  console.log('\nBy kind (bytes change, count change, bytes, count):');
  for (const r of rows.slice(0, top)) {
    console.log(`${signed(r.dBytes, kb(r.dBytes)).padStart(12)} ${signed(r.dCount, String(r.dCount)).padStart(8)} ${kb(r.bytes).padStart(12)} ${String(r.count).padStart(8)}  ${r.kind}`);
  }
  if (snaps.length < 3) return;

  const s = survivors(snaps[0]!, snaps[1]!, snaps[2]!);
  console.log(`\nBorn between the first two snapshots and alive at the third: ${s.count} objects, ${kb(s.bytes)}`);
  for (const k of s.byKind.slice(0, top)) console.log(`${kb(k.bytes).padStart(12)} ${String(k.count).padStart(8)}  ${k.kind}`);
  console.log('\nThe same, by the oldest object holding them (held before the first snapshot) and the edges below it:');
  for (const h of s.byHolder.slice(0, top)) console.log(`${kb(h.bytes).padStart(12)} ${String(h.count).padStart(8)}  ${h.holder} .${h.path}`);
  for (const e of s.examples) console.log(`\nOne ${e.kind}, held by:\n  ${e.path.join('\n  ')}`);
}
