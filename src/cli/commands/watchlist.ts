/** init, add, list, remove: editing the watch list, comments kept. */
import type { Command } from 'commander';
import { addSource, initConfig, removeSource } from '../../config/index.js';
import { collect, configPath, loadFrom, printJson, println } from '../io.js';

export function registerWatchList(program: Command): void {
  program
    .command('init')
    .description('write a commented example watch list (real statement pages) to the --config path')
    .option('--force', 'overwrite an existing file')
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const file = configPath(cmd);
      await initConfig(file, { force: opts.force });
      println(`wrote ${file}: edit it, then run "redline check"`);
    });

  program
    .command('add')
    .description('add a source to the watch list')
    .argument('<url>', 'statement page, PDF or plain-text URL')
    .option('--id <id>', 'source id (default: derived from the URL)')
    .option('--kind <kind>', 'auto | html | pdf | text')
    .option('--select <css>', 'CSS selector of the statement body (repeatable)', collect)
    .option('--remove <css>', 'CSS selector of parts to drop (repeatable)', collect)
    .option('--schedule <cron>', 'cron expression (5 fields, or 6 with seconds)')
    .option('--tag <tag>', 'tag (repeatable)', collect)
    .action(async (url: string, opts: { id?: string; kind?: string; select?: string[]; remove?: string[]; schedule?: string; tag?: string[] }, cmd: Command) => {
      const id = await addSource(configPath(cmd), {
        url, id: opts.id, kind: opts.kind as never, select: opts.select, remove: opts.remove,
        schedule: opts.schedule, tags: opts.tag,
      });
      println(`added ${id}`);
    });

  program
    .command('list')
    .description('list the sources of the watch list')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = await loadFrom(cmd);
      if (opts.json) {
        printJson(config.sources.map((s) => ({ id: s.id, url: s.url, kind: s.kind, schedule: s.schedule, tags: s.tags })));
        return;
      }
      for (const s of config.sources) {
        println(`${s.id}\t${s.schedule}\t${s.tags.join(',') || '-'}\t${s.url}`);
      }
      if (config.sources.length === 0) println(`no sources in ${config.file}: add one with "redline add URL"`);
    });

  program
    .command('remove')
    .description('remove a source from the watch list (its archive is kept)')
    .argument('<id>', 'source id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await removeSource(configPath(cmd), id);
      println(`removed ${id} from the watch list; its archived versions are kept`);
    });
}
