/**
 * Significance: judge every change of a DiffReport with the registered rules, give each
 * change its reasons, and the report a level and an alert verdict.
 */
import type { DiffReport } from '../diff/types.js';
import { wordHunks } from './align.js';
import { boilerplateMap } from './boilerplate.js';
import { listRules } from './rules/index.js';
import type { ContentRule, Finding, JudgedUnit, NoiseRule, Rule, RuleContext } from './rules/types.js';
import { cosmeticKey, wordTokens } from './sentences.js';
import { levelRank, type AssessedReport, type Assessment, type AssessOptions, type Level, type Reason, type RuleSetting, type SignificanceThresholds } from './types.js';
import { buildUnits, docView, type Unit } from './units.js';

const DEFAULT_ALERT_AT: Level = 'medium';

/**
 * Layer thresholds (defaults, then tag, then source …): later layers win, per rule and per
 * parameter.
 */
export function mergeThresholds(...layers: (SignificanceThresholds | undefined)[]): SignificanceThresholds {
  const out: SignificanceThresholds = { rules: {} };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.alertAt) out.alertAt = layer.alertAt;
    for (const [name, setting] of Object.entries(layer.rules ?? {})) out.rules![name] = { ...out.rules![name], ...setting };
  }
  return out;
}

function checkSettings(thresholds: SignificanceThresholds | undefined, rules: Rule[]): void {
  const known = new Set(rules.map((r) => r.name));
  for (const name of Object.keys(thresholds?.rules ?? {})) {
    if (!known.has(name)) {
      throw new Error(`analyze: thresholds.rules.${name}: no significance rule has that name (known: ${[...known].join(', ')}); fix the rule name in the source's or tag's thresholds`);
    }
  }
  if (thresholds?.alertAt && levelRank(thresholds.alertAt) < 0) {
    throw new Error(`analyze: thresholds.alertAt "${thresholds.alertAt}" is not a level (none, low, medium, high)`);
  }
}

interface Judged {
  unit: Unit;
  noise?: { rule: string; message: string; level: Level };
  judged?: JudgedUnit;
}

export function assessSignificance(before: string, after: string, report: DiffReport, opts: AssessOptions): Assessment {
  const rules = listRules();
  checkSettings(opts.thresholds, rules);
  const settings = (name: string): RuleSetting => opts.thresholds?.rules?.[name] ?? {};
  const enabled = rules.filter((r) => settings(r.name).enabled !== false);
  const doc = docView(before, after);
  let maps: RuleContext['boilerplate'] | undefined;
  const base = {
    doc,
    options: opts,
    get boilerplate() {
      maps ??= { before: boilerplateMap(doc.beforeParas), after: boilerplateMap(doc.afterParas) };
      return maps;
    },
  };
  const contexts = new Map<Rule, RuleContext>();
  const ctxFor = (rule: Rule): RuleContext => {
    let ctx = contexts.get(rule);
    if (!ctx) {
      ctx = Object.assign(Object.create(base), {
        param: <T>(name: string, fallback: T): T => (settings(rule.name)[name] as T | undefined) ?? fallback,
      }) as RuleContext;
      contexts.set(rule, ctx);
    }
    return ctx;
  };
  const levelOf = (rule: Rule, f: Finding, ruleLevel: Level): Level => settings(rule.name).level ?? f.level ?? ruleLevel;

  const noiseRules = enabled.filter((r): r is NoiseRule => r.kind === 'noise');
  const contentRules = enabled.filter((r): r is ContentRule => r.kind === 'content');
  const units = report.changed ? buildUnits(report, doc) : [];
  const judgedUnits = units.map((u) => judge(u, noiseRules, ctxFor, settings));

  const reasons: Reason[] = [];
  const given = new Set<string>();
  const push = (r: Reason) => {
    const key = `${r.rule}\u0000${r.change ?? ''}\u0000${r.message}`;
    if (given.has(key)) return;
    given.add(key);
    reasons.push(r);
  };
  for (const j of judgedUnits) {
    const paragraph = paragraphOf(j.unit);
    const suffix = paragraph ? ` (paragraph ${paragraph})` : '';
    const changes = j.unit.changes.length > 1 ? { changes: j.unit.changes } : {};
    if (j.noise) {
      push({ rule: j.noise.rule, change: j.unit.change, ...changes, message: `${j.noise.message}${suffix}`, level: j.noise.level, paragraph });
      continue;
    }
    const found: Reason[] = [];
    for (const rule of contentRules) {
      if (rule.fallback && found.length > 0) continue;
      for (const f of rule.run(j.judged!, ctxFor(rule))) {
        found.push({ rule: rule.name, change: j.unit.change, ...changes, message: `${f.message}${suffix}`, level: levelOf(rule, f, rule.level), paragraph });
      }
    }
    found.forEach(push);
  }
  // A change no sentence holds differed only in whitespace inside its paragraph.
  const covered = new Set(units.flatMap((u) => u.changes));
  report.changes.forEach((_, i) => {
    if (report.changed && !covered.has(i)) push({ rule: 'cosmetic', change: i, message: 'cosmetic: whitespace only', level: 'none' });
  });
  const wordingChanged = judgedUnits.some((j) => !j.noise && j.unit.kind !== 'moved');
  for (const rule of enabled) {
    if (rule.kind !== 'document') continue;
    for (const f of rule.run(ctxFor(rule), { wordingChanged })) push({ rule: rule.name, message: f.message, level: levelOf(rule, f, rule.level) });
  }

  const level = reasons.reduce<Level>((m, r) => (levelRank(r.level) > levelRank(m) ? r.level : m), 'none');
  const alertAt = opts.thresholds?.alertAt ?? DEFAULT_ALERT_AT;
  const cosmetic = report.changed && judgedUnits.every((j) => j.noise?.rule === 'cosmetic');
  return { level, alert: levelRank(level) >= levelRank(alertAt), reasons, cosmetic };
}

function paragraphOf(u: Unit): number | undefined {
  const index = u.kind === 'removed' ? u.beforePara : (u.afterPara ?? u.beforePara);
  return index === undefined ? undefined : index + 1;
}

function judge(
  unit: Unit,
  noiseRules: NoiseRule[],
  ctxFor: (rule: Rule) => RuleContext,
  settings: (name: string) => RuleSetting,
): Judged {
  let before = unit.before;
  let after = unit.after;
  let keys: [string, string] | undefined;
  for (const rule of noiseRules) {
    const ctx = ctxFor(rule);
    const level = settings(rule.name).level ?? 'none';
    const named = rule.classify?.(unit, ctx);
    if (named) return { unit, noise: { rule: rule.name, message: named, level } };
    if (!rule.mask) continue;
    const [b, a] = rule.mask(before, after, ctx);
    // Most masks find nothing to mask: compare the typography keys only when the text changed.
    if (!keys || b !== before || a !== after) keys = [cosmeticKey(b), cosmeticKey(a)];
    [before, after] = [b, a];
    if (unit.kind !== 'moved' && keys[0] === keys[1]) {
      return { unit, noise: { rule: rule.name, message: rule.explain?.(unit, ctx) ?? `${rule.name}: noise`, level } };
    }
  }
  const beforeWords = wordTokens(before);
  const afterWords = wordTokens(after);
  return {
    unit,
    judged: { ...unit, cmpBefore: before, cmpAfter: after, beforeWords, afterWords, hunks: wordHunks(beforeWords, afterWords) },
  };
}

/** The report with the analysis' verdict: `alert` replaced, `significance` added. */
export function refineReport(report: DiffReport, assessment: Assessment): AssessedReport {
  return { ...report, alert: assessment.alert, significance: assessment };
}
