/** diff: between versions of a source, two sources (same statement, two sites), or two files/URLs. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Store } from '../../store/types.js';
import type { TextComparison } from '../../analyze/crosssite.js';
import { loadConfig } from '../../config/index.js';
import { UsageError, loadFrom, parsePositiveInt, printJson, println } from '../io.js';

const FORMATS = ['unified', 'html', 'side-by-side', 'md', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface Side {
  label: string;
  text: string;
  /** The source id or file/URL: two different origins are a cross-site comparison. */
  origin: string;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('word-level diff: "diff ID [FROM [TO]]", "diff A[@N] B[@N]" (two sources) or "diff OLD NEW" (files or URLs)')
    .argument('<a>', 'source id, source-id@version, file or URL')
    .argument('[b]', 'version number, second source, file or URL')
    .argument('[c]', 'to-version number')
    .option('--format <format>', `${FORMATS.join(' | ')}`, 'unified')
    .option('--json', 'same as --format json')
    .option('--color', 'force colour in unified output')
    .action(async (a: string, b: string | undefined, c: string | undefined, opts: { format: string; json?: boolean; color?: boolean }, cmd: Command) => {
      const format = (opts.json ? 'json' : opts.format) as Format;
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${opts.format}"`);
      const [before, after] = await resolveSides(cmd, a, b, c);
      const [{ diffText, render }, { assessSignificance, compareTexts, refineReport }] = await Promise.all([
        import('../../diff/index.js'), import('../../analyze/index.js'),
      ]);
      const diff = diffText(before.text, after.text);
      const assessment = assessSignificance(before.text, after.text, diff, { watchTerms: await watchTerms(cmd) });
      const report = refineReport(diff, assessment);
      // The same statement on two sites: say which differences are only typography.
      const crossSite = before.origin !== after.origin ? compareTexts(before.text, after.text) : undefined;
      if (format === 'json') return printJson({ before: before.label, after: after.label, ...report, ...(crossSite ? { crossSite } : {}) });
      // Without --color the renderer decides (TTY, NO_COLOR, FORCE_COLOR).
      const title = format === 'unified' ? undefined : `${before.label} → ${after.label}`;
      println(render(report, format, { color: opts.color, title, beforeLabel: before.label, afterLabel: after.label }));
      if (format === 'unified' && report.changed) {
        const verdict = assessment.cosmetic ? 'cosmetic only (typography)' : `${assessment.level}${assessment.alert ? ', would alert' : ', would not alert'}`;
        println(`significance: ${verdict}`);
        for (const r of assessment.reasons.slice(0, 12)) println(`  - ${r.message}`);
      }
      if (crossSite && format === 'unified') printCrossSite(crossSite);
    });
}

function printCrossSite(c: TextComparison): void {
  const count = (kind: string) => c.differences.filter((d) => d.kind === kind).length;
  const cosmetic = c.differences.filter((d) => d.kind === 'cosmetic');
  const kinds = [...new Set(cosmetic.map((d) => d.detail))].join(', ');
  println(`cross-site: ${c.sharedWords} words in common; ${cosmetic.length} typographic differences only${kinds ? ` (${kinds})` : ''}; ` +
    `${count('changed')} wording differences; ${count('only-a')} passages only in the first, ${count('only-b')} only in the second`);
  const clip = (t: string, n: number) => `"${t.replace(/\s+/g, ' ').slice(0, n)}"`;
  for (const d of c.differences.filter((x) => x.kind !== 'cosmetic').slice(0, 10)) {
    println(`  - ${d.detail}: ${d.kind === 'only-b' ? clip(d.b, 120) : d.kind === 'only-a' ? clip(d.a, 120) : `${clip(d.a, 60)} → ${clip(d.b, 60)}`}`);
  }
}

/** Watch terms of the watch list, if there is one; a diff of two files needs none. */
async function watchTerms(cmd: Command): Promise<string[]> {
  const file = cmd.optsWithGlobals<{ config: string }>().config;
  if (!existsSync(file)) return [];
  return (await loadConfig(file)).watchTerms;
}

async function resolveSides(cmd: Command, a: string, b?: string, c?: string): Promise<[Side, Side]> {
  const { isUrl, loadDocument } = await import('../../core/document.js');
  const isDocument = (ref: string | undefined): ref is string => ref !== undefined && (isUrl(ref) || existsSync(ref));
  if (isDocument(a) && isDocument(b) && c === undefined) {
    const [x, y] = await Promise.all([loadDocument(a), loadDocument(b)]);
    return [{ label: a, text: x.text, origin: a }, { label: b, text: y.text, origin: b }];
  }
  const config = await loadFrom(cmd);
  const { openFsStore } = await import('../../store/index.js');
  const store = await openFsStore(config.archive, { readOnly: true });
  const isNumber = (s?: string) => s !== undefined && /^-?\d+$/.test(s);
  if (b === undefined || isNumber(b)) {
    const id = a;
    const from = b !== undefined ? Number(b) : c !== undefined ? undefined : -2;
    const to = c !== undefined ? parsePositiveInt(c, 'TO') : -1;
    if (from === undefined) throw new UsageError('give FROM before TO: redline diff ID FROM TO');
    return Promise.all([side(store, id, from), side(store, id, to)]);
  }
  if (c !== undefined) throw new UsageError('too many arguments: redline diff ID [FROM [TO]] | diff A[@N] B[@N] | diff OLD NEW');
  return Promise.all([side(store, ...splitRef(a)), side(store, ...splitRef(b))]);
}

function splitRef(ref: string): [string, number] {
  const m = /^(.+?)(?:@v?(\d+))?$/.exec(ref)!;
  return [m[1], m[2] ? Number(m[2]) : -1];
}

async function side(store: Store, id: string, n: number): Promise<Side> {
  const { versionByNumber, versionText } = await import('../../core/archive.js');
  const v = await versionByNumber(store, id, n);
  return { label: `${id}@v${v.version} (${v.time})`, text: await versionText(store, v), origin: id };
}
