/**
 * Redline as a library: the same core the CLI and the service use.
 * @example
 *   import { diffText, extract } from 'redline';
 *   const report = diffText(before, after); // same as `redline diff --json`
 */
export { diffText, render, rebuild } from './diff/index.js';
export type * from './diff/types.js';
export { extract, decodeBytes, normalizeText, detectKind, ExtractError } from './extract/index.js';
export type * from './extract/types.js';
export { loadConfig, parseConfigText, ConfigError } from './config/index.js';
export type * from './config/types.js';
export { Fetcher } from './fetch/index.js';
export type * from './fetch/types.js';
export { openFsStore, canonicalJson, sha256Hex } from './store/index.js';
export type * from './store/types.js';
export { checkSource, type CheckOutcome } from './core/check.js';
export { checkAll } from './core/run.js';
export { openContext, type CheckContext } from './core/context.js';
export type * from './alert/types.js';
