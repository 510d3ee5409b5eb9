/**
 * Benchmark dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.ts.
 * A bench is a module in this folder exporting `run(args: string[])`; helper
 * modules (no `run` export) are not listed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCH_EXPORT = /export\s+(?:async\s+)?function\s+run\s*\(/;

function available(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .filter((f) => BENCH_EXPORT.test(readFileSync(join(here, f), 'utf8')))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = available();
  if (!name || !/^[a-z0-9][a-z0-9-]*$/.test(name) || !names.includes(name)) {
    const problem = name ? `unknown benchmark "${name}"` : 'no benchmark named';
    console.error(`${problem}. Usage: npm run bench -- <name> [options]\navailable: ${names.join(', ') || '(none)'}`);
    process.exitCode = 2;
    return;
  }
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run: (args: string[]) => Promise<void> | void };
  await mod.run(args);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
