#!/usr/bin/env node
/** The `redline` executable: argument parsing only; every command is a thin face over the core. */
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { reportError } from './io.js';
import { limitHeapGrowth } from './heap.js';

limitHeapGrowth();

const program = new Command('redline')
  .description('Watch official statements, keep a tamper-evident archive of every version, and say exactly what changed.')
  .option('-c, --config <file>', 'watch list', 'redline.yaml')
  .showHelpAfterError('(run "redline help" for the list of commands)')
  // -V only: --version belongs to show, diff and blame (a version of a statement).
  .version('0.1.0', '-V', 'print the version of Redline');

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = reportError(err);
});
