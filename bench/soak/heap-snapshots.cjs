// Heap snapshots of the watch process for `npm run bench -- soak --heap-snapshots M1,M2,M3`: the
// bench loads this into the watch process only (NODE_OPTIONS=--require) and it writes
// v8.writeHeapSnapshot() files at those minutes after the process started, for
// `npm run bench -- heapdiff` to compare. Each snapshot stops the process for a few seconds and
// briefly needs about twice the heap's size again, so a run that takes them is a diagnosis,
// not a measurement of memory.
'use strict';
const minutes = (process.env.REDLINE_HEAP_SNAPSHOTS || '').split(',').filter(Boolean).map(Number);
const dir = process.env.REDLINE_HEAP_SNAPSHOT_DIR;
if (minutes.length && dir) {
  const v8 = require('node:v8');
  const path = require('node:path');
  const started = Date.now();
  for (const m of minutes) {
    setTimeout(() => {
      const t = Date.now();
      const name = path.join(dir, `watch-${String(m).padStart(4, '0')}min.heapsnapshot`);
      v8.writeHeapSnapshot(name);
      process.stderr.write(`[heap-snapshots] wrote ${name} in ${Date.now() - t} ms\n`);
    }, Math.max(0, m * 60_000 - (Date.now() - started))).unref();
  }
  process.stderr.write(`[heap-snapshots] pid ${process.pid} writes snapshots at ${minutes.join(', ')} min into ${dir}\n`);
}
