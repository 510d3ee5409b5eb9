/**
 * Compiles src/ and the bench's child scripts to JavaScript for the measured processes, so
 * they run as the installed `redline` does (plain node on compiled files) and not under
 * tsx, whose loader thread and esbuild service add ~35 MB and ~1 s to every process.
 * Each file goes through TypeScript's own transpileModule with the project's compiler
 * options (the project sets isolatedModules, so per-file output equals `tsc`'s).
 * The output lands in .bench-work/ inside the repository so node_modules resolves.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The entry files and every repository file they reach through relative imports. */
function reachable(entries: string[]): string[] {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
      if (!existsSync(target)) throw new Error(`${relative(process.cwd(), file)} imports ${fileName}, which has no .ts source at ${target}`);
      todo.push(target);
    }
  }
  return [...seen];
}

/** Returns the folder holding the compiled tree (same layout as the repository). */
export function buildForBench(repoRoot: string): string {
  const outRoot = join(repoRoot, '.bench-work', 'cycle-build');
  rmSync(outRoot, { recursive: true, force: true });
  const configFile = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  if (configFile.error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n')}`);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, repoRoot);
  // transpileModule cannot see package.json's "type", so NodeNext would emit CommonJS: say ESM outright.
  const compilerOptions: ts.CompilerOptions = {
    ...options, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false, sourceMap: false, declaration: false,
  };
  // package.json says "type": "module": the compiled tree needs the same, or node reads it as CommonJS.
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(join(outRoot, 'package.json'), '{ "type": "module" }\n');
  // All of src/ (the CLI loads commands and channels by import), plus whatever the bench's own scripts import.
  const files = reachable([...tsFiles(join(repoRoot, 'src')), ...tsFiles(join(repoRoot, 'bench', 'cycle'))]);
  for (const file of files) {
    const rel = relative(repoRoot, file);
    const result = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: true });
    const problems = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (problems.length) {
      const msg = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
      throw new Error(`cannot compile ${rel} for the benchmark: ${msg}`);
    }
    const target = join(outRoot, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, result.outputText);
  }
  return outRoot;
}
