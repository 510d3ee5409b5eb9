/**
 * The JSON document the webhook and jsonl channels emit (schema "redline.alert/1").
 * Documented field by field in src/alert/README.md; add fields freely, never rename or
 * remove one without bumping the schema name.
 */
import { summaryOf } from './message.js';
import type { Alert } from './types.js';

export const PAYLOAD_SCHEMA = 'redline.alert/1';

export interface AlertPayload {
  schema: typeof PAYLOAD_SCHEMA;
  key: string;
  event: Alert['event'];
  source: { id: string; url: string; tags: string[] };
  summary: string;
  times: { detected: string; from?: string; to?: string };
  versions: { from?: number; to?: number };
  significance: Alert['significance'] | null;
  failure: Alert['failure'] | null;
  diff: {
    stats: NonNullable<Alert['report']>['stats'];
    degraded: boolean;
    degradedReason?: string;
    changes: NonNullable<Alert['report']>['changes'];
    /** True when `changes` was cut to the channel's maxChanges. */
    truncated: boolean;
    totalChanges: number;
  } | null;
  links: Alert['links'];
}

export function buildPayload(alert: Alert, maxChanges = 200): AlertPayload {
  const r = alert.report;
  return {
    schema: PAYLOAD_SCHEMA,
    key: alert.key,
    event: alert.event,
    source: { id: alert.source, url: alert.url, tags: alert.tags },
    summary: summaryOf(alert),
    times: { detected: alert.detectedAt, from: alert.fromTime, to: alert.toTime },
    versions: { from: alert.fromVersion, to: alert.toVersion },
    significance: alert.significance ?? null,
    failure: alert.failure ?? null,
    diff: r
      ? {
          stats: r.stats,
          degraded: r.degraded,
          degradedReason: r.degradedReason,
          changes: r.changes.slice(0, maxChanges),
          truncated: r.changes.length > maxChanges,
          totalChanges: r.changes.length,
        }
      : null,
    links: alert.links,
  };
}
