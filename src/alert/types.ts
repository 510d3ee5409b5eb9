/** An alert: what the outbox stores and every channel renders. */
import type { DiffReport } from '../diff/types.js';

export type AlertEvent = 'changed' | 'new' | 'removed' | 'restored' | 'failing' | 'recovered';

export interface Significance {
  level: 'none' | 'low' | 'medium' | 'high';
  alert: boolean;
  reasons: string[];
}

export interface Alert {
  /** Stable idempotency key: the same event always yields the same key (e.g. "fema-maria@v3"). */
  key: string;
  event: AlertEvent;
  source: string;
  url: string;
  tags: string[];
  /** When Redline detected it (ISO 8601 UTC). */
  detectedAt: string;
  fromVersion?: number;
  toVersion?: number;
  fromTime?: string;
  toTime?: string;
  /** One line: "3 words changed in paragraph 4: 'must' → 'should'". */
  summary: string;
  significance?: Significance;
  report?: DiffReport;
  /** Where a reader sees the whole (CLI command, or a URL when a server is configured). */
  links: { diff?: string; archive?: string };
}
