/**
 * The zod schema of redline.yaml as written (snake_case keys). Leaf values are checked by small
 * functions so every message says what is wrong and how to write it instead.
 */

import * as z from 'zod';
import { CRON_HELP, cronProblem } from './cron.js';
import { describeValue } from './errors.js';
import { fail, int, leaf, list, mapError, ok, orNone, text, type Check } from './leaf.js';
import { SIGNIFICANCE_KEYS, significanceSchema, tagSignificanceSchema } from './significance.js';
import { sourceIdProblem } from './source-id.js';
import { didYouMean } from './suggest.js';
import { parseDuration, parseSize } from './units.js';
import type { SourceKind } from './types.js';

export const ROOT_KEYS = [
  'archive',
  'timezone',
  'signing_key',
  'defaults',
  'watch_terms',
  'significance',
  'tag_significance',
  'sources',
  'alerts',
] as const;
export const FETCH_KEYS = [
  'schedule',
  'user_agent',
  'timeout',
  'connect_timeout',
  'response_timeout',
  'body_timeout',
  'max_size',
  'per_host_concurrency',
  'per_host_delay',
  'retries',
] as const;
export const POLICY_KEYS = ['removal_confirmations', 'removal_min_duration', 'failing_after'] as const;
export const DEFAULTS_KEYS = [...FETCH_KEYS, ...POLICY_KEYS] as const;
export const SOURCE_KEYS = [
  'id',
  'url',
  'kind',
  'select',
  'remove',
  'tags',
  'headers',
  'ignore_robots',
  'significance',
  ...DEFAULTS_KEYS,
] as const;
export const SOURCE_KINDS: readonly SourceKind[] = ['auto', 'html', 'pdf', 'text'];
/** Keys of an alert channel that Redline routes on; every other key is the channel's own setting. */
export const ALERT_ROUTING_KEYS = ['type', 'sources', 'tags'] as const;

/** Values that end up in HTTP headers: a line break there would inject headers. */
function headerText(what: string): Check<string> {
  const base = text(what);
  return (v) => {
    const r = typeof v === 'number' || typeof v === 'boolean' ? ok(String(v)) : base(v);
    if (r.ok && /[\r\n\0]/.test(r.value)) return fail('contains a line break or NUL, which HTTP headers cannot carry');
    return r;
  };
}

export const checkUrl: Check<string> = (v) => {
  const t = text('the address of the page or PDF, e.g. https://www.gov.uk/...')(v);
  if (!t.ok) return t;
  let u: URL;
  try {
    u = new URL(t.value);
  } catch {
    return fail('is not a URL: write the full address, starting with https:// or http://');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return fail(`uses ${u.protocol.slice(0, -1)}: only http and https URLs can be watched`);
  if (!u.hostname) return fail('has no host name');
  return t;
};

export const checkSourceId: Check<string> = (v) => {
  if (typeof v !== 'string') return fail(`expected the id as text, found ${describeValue(v)}`);
  const why = sourceIdProblem(v);
  return why ? fail(why) : ok(v);
};

export const checkKind: Check<SourceKind> = (v) => {
  if (typeof v === 'string' && (SOURCE_KINDS as readonly string[]).includes(v)) return ok(v as SourceKind);
  const hint = typeof v === 'string' ? didYouMean(v, SOURCE_KINDS) : '';
  return fail(`is not a kind: use one of ${SOURCE_KINDS.join(', ')}${hint}`);
};

export const checkCron: Check<string> = (v) => {
  if (typeof v !== 'string') return fail(`expected a cron expression as text (quote it), found ${describeValue(v)}`);
  const why = cronProblem(v);
  return why ? fail(`${CRON_HELP}: ${why}`) : ok(v.trim());
};

/** Node 22+ also accepts offsets like "+01:00"; Node 20 does not, so neither do we. */
const TZ_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export const checkTimezone: Check<string> = (v) => {
  if (typeof v !== 'string') return fail(`expected a time zone name as text, found ${describeValue(v)}`);
  const tz = v.trim();
  let valid = TZ_SHAPE.test(tz);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      valid = false;
    }
  }
  if (valid) return ok(tz);
  return fail(`is not an IANA time zone such as "Europe/London" or "UTC"${didYouMean(tz, Intl.supportedValuesOf('timeZone'))}`);
};

const checkDuration: Check<number> = (v) => parseDuration(v);
const checkDelay: Check<number> = (v) => parseDuration(v, { allowZero: true });

const checkReason: Check<string> = (v) =>
  typeof v === 'string' && v.trim()
    ? ok(v.trim())
    : fail('robots.txt is obeyed unless you give the reason as text, e.g. ignore_robots: "our own site; owner agreed by email 2024-05-01"');

/** "a" or [a, b]: a single selector is the common case, so it may be written bare. */
function oneOrMany(what: string) {
  return z.preprocess((v) => (typeof v === 'string' ? [v] : v), list(leaf(text(what)), `${what} or a list of them`));
}

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a valid HTTP header name`,
});

const headers = z.record(headerName, leaf(headerText('the header value')), {
  error: (iss) => `expected a mapping of header names to values, found ${describeValue(iss.input)}`,
});

const fetchShape = {
  schedule: leaf(checkCron).optional(),
  user_agent: leaf(headerText('the User-Agent, with a contact URL')).optional(),
  timeout: leaf(checkDuration).optional(),
  connect_timeout: leaf(checkDuration).optional(),
  response_timeout: leaf(checkDuration).optional(),
  body_timeout: leaf(checkDuration).optional(),
  max_size: leaf(parseSize).optional(),
  per_host_concurrency: leaf(int(1, 64)).optional(),
  per_host_delay: leaf(checkDelay).optional(),
  retries: leaf(int(0, 10)).optional(),
};

const policyShape = {
  removal_confirmations: leaf(int(1, 1000)).optional(),
  removal_min_duration: leaf(checkDelay).optional(),
  failing_after: leaf(int(1, 1000)).optional(),
};

export const defaultsSchema = z.strictObject({ ...fetchShape, ...policyShape }, mapError('a mapping of defaults for every source'));

export const sourceSchema = z.strictObject(
  {
    id: leaf(checkSourceId).optional(),
    url: leaf(checkUrl),
    kind: leaf(checkKind).optional(),
    select: oneOrMany('a CSS selector').optional(),
    remove: oneOrMany('a CSS selector').optional(),
    tags: list(leaf(text('the tag')), 'a list of tags').optional(),
    headers: headers.optional(),
    ignore_robots: leaf(checkReason).optional(),
    significance: orNone(significanceSchema),
    ...fetchShape,
    ...policyShape,
  },
  mapError('a source: a mapping with at least url'),
);

export const alertSchema = z.looseObject(
  {
    type: leaf(text('the channel type, e.g. webhook')),
    sources: list(leaf(text('a source id')), 'a list of source ids').optional(),
    tags: list(leaf(text('a tag')), 'a list of tags').optional(),
  },
  mapError('an alert channel: a mapping with at least type'),
);

export const configSchema = z.strictObject(
  {
    archive: leaf(text('the archive directory')).optional(),
    timezone: leaf(checkTimezone).optional(),
    signing_key: leaf(text('the path of the signing key file')).optional(),
    defaults: orNone(defaultsSchema),
    watch_terms: orNone(list(leaf(text('the term')), 'a list of terms')),
    significance: orNone(significanceSchema),
    tag_significance: orNone(tagSignificanceSchema),
    sources: orNone(list(sourceSchema, 'a list of sources')),
    alerts: orNone(list(alertSchema, 'a list of alert channels')),
  },
  mapError('a mapping at the top level'),
);

export type RawDefaults = z.output<typeof defaultsSchema>;
export type RawSource = z.output<typeof sourceSchema>;
export type RawConfig = z.output<typeof configSchema>;

/** The keys allowed in the mapping at `path`, for "did you mean" on unknown keys. */
export function knownKeysAt(path: ReadonlyArray<string | number>): readonly string[] {
  if (path.length === 0) return ROOT_KEYS;
  if (path.length === 1 && path[0] === 'defaults') return DEFAULTS_KEYS;
  if (path.length === 2 && path[0] === 'sources') return SOURCE_KEYS;
  const [first] = path;
  if (path.length === 1 && first === 'significance') return SIGNIFICANCE_KEYS;
  if (path.length === 2 && first === 'tag_significance') return SIGNIFICANCE_KEYS;
  if (path.length === 3 && first === 'sources' && path[2] === 'significance') return SIGNIFICANCE_KEYS;
  return [];
}
