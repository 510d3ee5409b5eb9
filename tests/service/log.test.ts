import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, formatStatus } from '../../src/service/log.js';

function sink() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      out.push(String(chunk));
      cb();
    },
  });
  return { out, stream };
}

describe('createLogger', () => {
  it('chooses the level: pipe → info lines, TTY → warnings plus a summary, --verbose / LOG_LEVEL win', () => {
    const cases: Array<[Parameters<typeof createLogger>[0], string, boolean]> = [
      [{ isTTY: false, env: {} }, 'info', false],
      [{ isTTY: true, env: {} }, 'warn', true],
      [{ isTTY: true, env: {}, verbose: true }, 'debug', false],
      [{ isTTY: true, env: { LOG_LEVEL: 'info' } }, 'info', false],
      [{ isTTY: false, env: { LOG_LEVEL: 'error' }, verbose: true }, 'error', false],
      [{ isTTY: true, env: { LOG_LEVEL: 'debug' }, level: 'silent' }, 'silent', false],
    ];
    for (const [options, level, summary] of cases) {
      const { stream } = sink();
      const made = createLogger({ ...options, destination: stream });
      expect({ level: made.level, summary: made.statusSummary }).toEqual({ level, summary });
      expect(made.logger.level).toBe(level);
    }
  });

  it('writes one JSON object per line with time and level', () => {
    const { out, stream } = sink();
    const { logger } = createLogger({ isTTY: false, env: {}, destination: stream });
    logger.info({ source: 'uk-e2ee', ms: 12, outcome: 'unchanged' }, 'check');
    logger.debug('not at info');
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0]);
    expect(line).toMatchObject({ level: 30, source: 'uk-e2ee', ms: 12, outcome: 'unchanged', msg: 'check' });
    expect(Date.parse(line.time)).not.toBeNaN();
  });

  it('rejects an unknown LOG_LEVEL, saying where it came from and what is allowed', () => {
    expect(() => createLogger({ env: { LOG_LEVEL: 'loud' }, destination: sink().stream })).toThrow(
      /unknown log level "loud" \(from LOG_LEVEL\); use one of .*info.*silent/,
    );
  });
});

describe('formatStatus', () => {
  it('renders one line with thousands separators', () => {
    expect(
      formatStatus({ sources: 12_345, checked: 1_002, changed: 3, failed: 1, queued: 40, running: 16 }, new Date('2026-11-21T09:05:07Z')),
    ).toBe('redline 09:05:07Z · 12,345 sources · checked 1,002 · changed 3 · failed 1 · queued 40 · running 16');
  });
});
