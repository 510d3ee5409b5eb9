import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { loadWatchList } from '../../src/core/watchlist.js';

async function load(text: string): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'redline-wl-'));
  const file = join(dir, 'redline.yaml');
  await writeFile(file, text);
  return loadWatchList(file, {});
}

describe('loadWatchList', () => {
  it('reports bad alert channels and unknown significance rules with their lines, together with schema problems', async () => {
    const err = await load(`significance:
  rules:
    sentense: { level: low }
sources:
  - id: a
    url: https://example.gov/a
    schedule: "not cron"
alerts:
  - type: webhook
    url: not-a-url
  - type: pager
`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as ConfigError).message;
    expect(text).toMatch(/redline\.yaml:3:\d+ significance\.rules\.sentense: unknown significance rule "sentense"/);
    expect(text).toMatch(/redline\.yaml:7:\d+ sources\[0\]\.schedule/);
    expect(text).toMatch(/redline\.yaml:10:\d+ alerts\[0\]\.url: \(webhook\)/);
    expect(text).toMatch(/redline\.yaml:11:\d+ alerts\[1\]\.type: \(pager\) unknown channel type "pager"/);
  });

  it('accepts a list whose channels and rules are all known', async () => {
    const config = (await load(`significance: { alert_at: high, rules: { modality: { level: high } } }
sources: [{ id: a, url: "https://example.gov/a" }]
alerts: [{ type: jsonl }]
`)) as { sources: { significance: { alertAt?: string } }[] };
    expect(config.sources[0].significance.alertAt).toBe('high');
  });
});
