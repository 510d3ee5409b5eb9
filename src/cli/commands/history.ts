/** log and show: what the archive holds for a source. */
import type { Command } from 'commander';
import { loadFrom, parsePositiveInt, printJson, println } from '../io.js';

export function registerHistory(program: Command): void {
  program
    .command('log')
    .description('every check of a source: time, status, outcome, version, hashes')
    .argument('<id>', 'source id')
    .option('--json', 'machine-readable output (the log entries as stored)')
    .option('--limit <n>', 'only the newest n entries')
    .action(async (id: string, opts: { json?: boolean; limit?: string }, cmd: Command) => {
      const config = await loadFrom(cmd);
      const { openFsStore } = await import('../../store/index.js');
      const store = await openFsStore(config.archive, { readOnly: true });
      let entries = await store.log(id);
      if (opts.limit) entries = entries.slice(-parsePositiveInt(opts.limit, '--limit'));
      if (opts.json) return printJson(entries);
      if (entries.length === 0) return println(`no checks of "${id}" in ${config.archive}`);
      for (const e of entries) {
        const what = e.outcome === 'failed' ? `failed ${e.error?.code}: ${e.error?.message}` : `${e.outcome} v${e.version}`;
        const events = Array.isArray(e.meta?.events) ? ` [${(e.meta.events as string[]).join(', ')}]` : '';
        println(`#${e.seq}\t${e.time}\t${e.status ?? '-'}\t${what}${events}${e.textHash ? `\ttext ${e.textHash.slice(0, 12)}` : ''}`);
      }
    });

  program
    .command('show')
    .description('the text of a version (default: the latest)')
    .argument('<id>', 'source id')
    .option('--version <n>', 'version number')
    .option('--at <date>', 'the version current at this date/time')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { version?: string; at?: string; json?: boolean }, cmd: Command) => {
      const config = await loadFrom(cmd);
      const [{ openFsStore }, { versionAt, versionByNumber, versionText }] = await Promise.all([import('../../store/index.js'), import('../../core/archive.js')]);
      const store = await openFsStore(config.archive, { readOnly: true });
      const v = opts.at
        ? await versionAt(store, id, new Date(opts.at))
        : await versionByNumber(store, id, opts.version ? parsePositiveInt(opts.version, '--version') : -1);
      const text = await versionText(store, v);
      if (opts.json) return printJson({ ...v, text });
      println(`# ${id} version ${v.version}, captured ${v.time}, last seen ${v.lastSeen}`);
      println();
      println(text);
    });
}
