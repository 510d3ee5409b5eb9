/** alerts: what the outbox holds (pending, delivered, dead) and retrying the dead. */
import type { Command } from 'commander';
import { readOutboxStatus } from '../../alert/index.js';
import { openAlertsFor } from '../../core/outbox.js';
import { UsageError, loadFrom, printJson, println } from '../io.js';

export function registerAlerts(program: Command): void {
  program
    .command('alerts')
    .description('show pending, delivered and dead alert deliveries')
    .option('--retry [key]', 'move dead deliveries (all, or of one alert key) back to pending and deliver now')
    .option('--deliver', 'deliver what is due now')
    .option('--json', 'machine-readable output')
    .action(async (opts: { retry?: string | boolean; deliver?: boolean; json?: boolean }, cmd: Command) => {
      const config = await loadFrom(cmd);
      if (opts.retry !== undefined || opts.deliver) {
        const alerts = await openAlertsFor(config);
        if (!alerts) throw new UsageError(`${config.file} has no alert channels (alerts: [])`);
        if (opts.retry !== undefined) {
          const moved = await alerts.outbox.retryDead(typeof opts.retry === 'string' ? opts.retry : undefined);
          println(`${moved} dead deliveries moved back to pending`);
        }
        const result = await alerts.deliverNow();
        println(`delivered ${result.delivered} of ${result.attempted} attempted; ${result.retrying} to retry, ${result.dead} dead`);
      }
      const status = await readOutboxStatus(config.archive);
      if (opts.json) return printJson(status);
      for (const [name, list] of [['pending', status.pending], ['delivered', status.delivered], ['dead', status.dead]] as const) {
        println(`${name}: ${list.length}`);
        for (const d of list.slice(-20)) {
          const when = d.deliveredAt ?? d.nextAttemptAt ?? d.updatedAt;
          println(`  ${d.key} → ${d.channel}\t${d.attempts} attempt(s)\t${when}\t${d.summary}${d.lastError ? `\t(last error: ${d.lastError})` : ''}`);
        }
        if (list.length > 20) println(`  … ${list.length - 20} older (use --json for all)`);
        if (name === 'delivered' && status.sentLog) println(`  older delivered alerts: one line each in ${status.sentLog}`);
      }
      if (status.nextDueAt) println(`next attempt due ${status.nextDueAt}`);
    });
}
