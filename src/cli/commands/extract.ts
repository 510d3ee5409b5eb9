/** extract: print what Redline would store for a file or URL. */
import type { Command } from 'commander';
import { UsageError, collect, printJson, println } from '../io.js';

const KINDS = ['auto', 'html', 'pdf', 'text'];

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('print the statement text Redline would archive for a file or URL')
    .argument('<fileOrUrl>', 'HTML, PDF or text file, or an http(s) URL')
    .option('--kind <kind>', KINDS.join(' | '), 'auto')
    .option('--select <css>', 'CSS selector of the statement body (repeatable)', collect)
    .option('--remove <css>', 'CSS selector of parts to drop (repeatable)', collect)
    .option('--json', 'machine-readable output (paragraphs, links, declared dates, repairs)')
    .action(async (ref: string, opts: { kind: string; select?: string[]; remove?: string[]; json?: boolean }) => {
      if (!KINDS.includes(opts.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}; got "${opts.kind}"`);
      const { loadDocument } = await import('../../core/document.js');
      const doc = await loadDocument(ref, { kind: opts.kind as never, select: opts.select, remove: opts.remove });
      if (opts.json) return printJson(doc);
      println(doc.text);
      if (doc.repairs.length) process.stderr.write(`repairs: ${doc.repairs.join('; ')}\n`);
    });
}
