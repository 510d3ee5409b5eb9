/**
 * The reference side of the cycle benchmark: Debian's urlwatch, headless, with its own
 * jobs file, config and cache in a temp folder (HOME and XDG folders pointed there too,
 * so nothing of the user's is read or written) and only the stdout reporter enabled.
 * Jobs have no filters: urlwatch's default job, and its cheapest (it compares raw HTML).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pagePath } from './pages.js';
import { tail, timed } from './proc.js';
import { sourceId } from './redline.js';

const URLWATCH = '/usr/bin/urlwatch';

export interface UrlwatchSetup {
  dir: string;
  urls: string;
  config: string;
  cache: string;
  hooks: string;
}

export function writeUrlwatchFiles(dir: string, origin: string, indices: number[]): UrlwatchSetup {
  mkdirSync(dir, { recursive: true });
  const setup: UrlwatchSetup = {
    dir,
    urls: join(dir, 'urls.yaml'),
    config: join(dir, 'urlwatch.yaml'),
    cache: join(dir, 'cache.db'),
    hooks: join(dir, 'hooks.py'),
  };
  writeFileSync(setup.urls, indices.map((i) => `name: ${sourceId(i)}\nurl: ${origin}${pagePath(i)}\n`).join('---\n'));
  // Every reporter but stdout is off by default; say so anyway, and turn colour off.
  writeFileSync(
    setup.config,
    [
      'display: {new: true, error: true, unchanged: false, empty-diff: true}',
      'report:',
      '  text: {line_length: 75, details: true, footer: true, minimal: false}',
      '  stdout: {enabled: true, color: false}',
      '  email: {enabled: false}',
      '  html: {diff: unified}',
      '',
    ].join('\n'),
  );
  writeFileSync(setup.hooks, '# no hooks\n');
  return setup;
}

export interface UrlwatchRun {
  wallMs: number;
  cpuMs: number;
  maxRssKB: number;
  /** Jobs the stdout report lists, by kind (NEW, CHANGED, ERROR …). */
  reported: Record<string, number>;
}

export async function runUrlwatch(s: UrlwatchSetup, scratch: string): Promise<UrlwatchRun> {
  if (!existsSync(URLWATCH)) throw new Error(`${URLWATCH} not found: run scripts/ensure-debian.sh (as root) to install urlwatch`);
  const home = join(s.dir, 'home');
  mkdirSync(home, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    LANG: 'C.UTF-8',
  };
  const run = await timed(URLWATCH, ['--urls', s.urls, '--config', s.config, '--cache', s.cache, '--hooks', s.hooks], { scratch, env, cwd: s.dir });
  if (run.code !== 0) throw new Error(`urlwatch (${s.urls}) exited with ${run.code}:\n${tail(run.stderr || run.stdout)}`);
  const reported: Record<string, number> = {};
  // The summary lists one numbered line per reported job: "0042. CHANGED: s000041".
  for (const m of run.stdout.matchAll(/^\d+\. ([A-Z-]+): /gm)) reported[m[1]!] = (reported[m[1]!] ?? 0) + 1;
  return { wallMs: run.wallMs, cpuMs: run.cpuMs, maxRssKB: run.maxRssKB, reported };
}
