/** The watch list (redline.yaml): loading, validation and comment-preserving edits. */

export type {
  ChannelConfig,
  FetchDefaults,
  PolicyConfig,
  RedlineConfig,
  RuleConfig,
  SignificanceConfig,
  SignificanceLevel,
  SourceConfig,
  SourceKind,
} from './types.js';
export { ConfigError, renderProblem, type ConfigProblem } from './errors.js';
export { checkConfigText, loadConfig, parseConfigText, type Checked, type ParseOptions } from './load.js';
export type { ExtraCheck, ExtraProblem } from './extra.js';
export { DEFAULT_ARCHIVE, DEFAULT_FETCH, DEFAULT_POLICY } from './build.js';
export { addSource, initConfig, removeSource, type NewSource } from './edit.js';
export { deriveSourceId, SOURCE_ID_PATTERN, sourceIdProblem } from './source-id.js';
export { EXAMPLE_CONFIG } from './template.js';
export { parseDuration, parseSize } from './units.js';
