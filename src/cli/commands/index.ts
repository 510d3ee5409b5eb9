/** Every command, in the order `redline help` lists them. */
import type { Command } from 'commander';
import { registerWatchList } from './watchlist.js';
import { registerCheck } from './check.js';
import { registerHistory } from './history.js';
import { registerDiff } from './diff.js';
import { registerExtract } from './extract.js';
import { registerVerify } from './verify.js';
import { registerWatch } from './watch.js';
import { registerAlerts } from './alerts.js';
import { registerQuote } from './quote.js';

export const commands: ((program: Command) => void)[] = [
  registerWatchList,
  registerCheck,
  registerHistory,
  registerDiff,
  registerExtract,
  registerVerify,
  registerWatch,
  registerAlerts,
  registerQuote,
];
