/**
 * Loading the watch list for running: the config stage's schema plus the checks only other
 * stages can make (alert channel settings, significance rule names), all reported together
 * with file and line, before anything runs.
 */
import { loadConfig, type ExtraProblem } from '../config/index.js';
import type { RedlineConfig, SignificanceConfig } from '../config/types.js';
import { validateChannels } from '../alert/registry.js';
import { listRules } from '../analyze/rules/index.js';

export function channelProblems(config: RedlineConfig): ExtraProblem[] {
  const { problems } = validateChannels(config.alerts, config.file, { sourceIds: config.sources.map((s) => s.id) });
  return problems.map((p) => {
    // Channel settings are written flat in the file: alerts[i].url, not alerts[i].settings.url.
    const field = p.field.split('.').filter((x) => x !== 'settings');
    return { path: ['alerts', p.index, ...field], message: `(${p.type || 'no type'}) ${p.message}` };
  });
}

export function ruleProblems(config: RedlineConfig): ExtraProblem[] {
  const known = new Set(listRules().map((r) => r.name));
  const hint = `known rules: ${[...known].sort().join(', ')}`;
  const out: ExtraProblem[] = [];
  const reported = new Set<string>();
  const check = (block: SignificanceConfig | undefined, path: (string | number)[]) => {
    for (const name of Object.keys(block?.rules ?? {})) {
      if (known.has(name) || reported.has(name)) continue;
      reported.add(name);
      out.push({ path: [...path, 'rules', name], message: `unknown significance rule "${name}"; ${hint}`, at: 'key' });
    }
  };
  check(config.significance, ['significance']);
  for (const [tag, block] of Object.entries(config.tagSignificance)) check(block, ['tag_significance', tag]);
  // Sources carry merged blocks: what is still unknown here was written in the source itself.
  config.sources.forEach((s, i) => check(s.significance, ['sources', i, 'significance']));
  return out;
}

export function loadWatchList(file: string, env: Record<string, string | undefined> = process.env): Promise<RedlineConfig> {
  return loadConfig(file, env, { extraChecks: (config) => [...channelProblems(config), ...ruleProblems(config)] });
}
