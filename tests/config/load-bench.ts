/**
 * Load and edit time of a large watch list (not a test: run with `npx tsx tests/config/load-bench.ts [sources] [runs]`).
 * Each source has its own tags, a schedule and a selector, like a real list grown by `redline add`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { addSource, loadConfig, removeSource } from '../../src/config/index.js';

const count = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 7);

function watchList(n: number): string {
  const lines = ['archive: ./snapshots', 'timezone: UTC', 'defaults:', '  schedule: "*/30 * * * *"', '  timeout: 20s', 'sources:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - url: https://www.example${i % 50}.gov/statements/statement-${i}-on-encryption`,
      `    select: [main, "#content"]`,
      `    tags: [t${i % 20}, statement]`,
      ...(i % 10 === 0 ? [`    schedule: "0 */6 * * *"`] : []),
    );
  }
  lines.push('alerts:', '  - type: webhook', '    url: https://hooks.example.org/x', '    tags: [t3, statement]');
  return lines.join('\n') + '\n';
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'redline-cfg-bench-'));
try {
  const file = path.join(dir, 'redline.yaml');
  const text = watchList(count);
  await writeFile(file, text);
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[s.length >> 1].toFixed(0)} ms, min ${s[0].toFixed(0)} ms`;
  };
  // CPU time as well: on a shared machine wall time mostly measures the neighbours.
  async function measure(what: string, op: () => Promise<void>): Promise<void> {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await op();
      const used = process.cpuUsage(c0);
      wall.push(performance.now() - t0);
      cpu.push((used.user + used.system) / 1000);
    }
    console.log(`${what}: wall ${stats(wall)}; CPU ${stats(cpu)}`);
  }
  console.log(`${count} sources, ${(text.length / 1024).toFixed(0)} KB, Node ${process.version}, ${runs} runs each`);
  await measure('loadConfig', async () => {
    const c = await loadConfig(file, {});
    if (c.sources.length !== count) throw new Error(`expected ${count} sources, got ${c.sources.length}`);
  });
  await measure('addSource + removeSource', async () => {
    const id = await addSource(file, { url: 'https://bench.example/added-statement' }, {});
    await removeSource(file, id, {});
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
