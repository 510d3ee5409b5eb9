/** Settings every channel accepts, and the secret-value type. */
import { z } from 'zod';

export const name = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, dot, dash or underscore')
  .optional()
  .describe('Stable channel id shown by `redline alerts`; defaults to type + hash of the destination');

export const timeoutMs = (fallback: number) => z.number().int().min(100).max(600_000).default(fallback);

/**
 * A secret is either written inline or read from the environment ({ env: NAME }) so
 * redline.yaml can be shared without passwords in it. Read at validation time, so a
 * missing variable is reported before anything runs.
 */
export const secret = z.union([z.string().min(1), z.strictObject({ env: z.string().min(1) })]).transform((value, ctx) => {
  if (typeof value === 'string') return value;
  const found = process.env[value.env];
  if (found === undefined || found === '') {
    ctx.addIssue({ code: 'custom', message: `environment variable ${value.env} is not set`, input: value });
    return z.NEVER;
  }
  return found;
});

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** Most chat services cap one message at a few thousand characters. */
export const maxChars = (fallback: number, ceiling: number) => z.number().int().min(200).max(ceiling).default(fallback);
