import type { ExtractErrorCode } from './types.js';

/**
 * The only error extraction throws on purpose. Anything else escaping extract() is a bug;
 * the pipeline records an ExtractError as a failed check, never as a new version.
 */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
  readonly code: ExtractErrorCode;
  readonly url?: string;

  constructor(code: ExtractErrorCode, message: string, options: { url?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.url !== undefined) this.url = options.url;
  }
}

/** "on <url>" or a neutral phrase when the caller did not say where the bytes came from. */
export function where(url?: string): string {
  return url ? `on ${url}` : 'in the fetched body (no URL given)';
}
