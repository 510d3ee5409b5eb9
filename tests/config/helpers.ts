import { ConfigError, type ConfigProblem } from '../../src/config/index.js';

/** Runs `fn`, which must throw ConfigError, and returns its problems. */
export function problemsOf(fn: () => unknown): readonly ConfigProblem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

export async function problemsOfAsync(fn: () => Promise<unknown>): Promise<readonly ConfigProblem[]> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** Joins lines so test YAML can be written with visible line numbers in mind. */
export const yaml = (...lines: string[]) => lines.join('\n') + '\n';
