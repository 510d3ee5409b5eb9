/** Builds the alerts a log entry's events call for (pure apart from reading blobs). */
import type { SourceConfig } from '../config/types.js';
import type { CheckEntry } from '../store/types.js';
import type { Alert, AlertEvent, FailureInfo } from '../alert/types.js';
import { summarize } from '../alert/summary.js';
import type { DiffReport } from '../diff/types.js';
import { eventsOf } from './state.js';
import { compareVersions } from './compare.js';
import type { PageDeclarations } from '../analyze/types.js';
import type { CheckContext } from './context.js';

export interface BuiltAlerts {
  alerts: Alert[];
  report?: DiffReport;
}

export async function alertsFor(
  ctx: CheckContext, source: SourceConfig, entry: CheckEntry, previous: CheckEntry | undefined, newText: string | undefined,
  failure?: FailureInfo,
  lastDeclared?: PageDeclarations,
): Promise<BuiltAlerts> {
  const events = eventsOf(entry);
  const alerts: Alert[] = [];
  let report: DiffReport | undefined;
  const base = {
    source: source.id, url: source.url, tags: source.tags, detectedAt: entry.time,
    links: { archive: `redline log ${source.id}` },
  };
  for (const event of events as AlertEvent[]) {
    if (event === 'changed' && previous?.textHash && newText !== undefined) {
      const before = (await ctx.store.getBlob(previous.textHash)).toString('utf8');
      const compared = compareVersions(ctx, source, before, newText, previous, entry, lastDeclared);
      report = compared.report;
      // A change the rules judge as noise stays in the archive and the log, but does not page anyone.
      if (!compared.report.alert) continue;
      alerts.push({
        ...base, key: `${source.id}@v${entry.version}`, event, fromVersion: previous.version, toVersion: entry.version,
        fromTime: previous.time, toTime: entry.time, summary: compared.summary, significance: compared.significance,
        report: compared.report,
        links: { ...base.links, diff: `redline diff ${source.id} ${previous.version} ${entry.version}` },
      });
    } else if (event === 'removed' || event === 'restored' || event === 'failing' || event === 'recovered') {
      const alert: Alert = {
        ...base, key: `${source.id}:${event}@${entry.seq}`, event, toVersion: entry.version, summary: '',
        ...(failure ? { failure } : {}),
      };
      alert.summary = summarize(alert);
      alerts.push(alert);
    }
  }
  return { alerts, report };
}
