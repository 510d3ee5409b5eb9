/**
 * Runs one source through the real pipeline (config loader, Fetcher, extraction, FsStore,
 * events, alerts) against the loopback site: a fresh archive per source, so every
 * behaviour starts from the same "version 1 stored" state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parseConfigText } from '../../src/config/index.js';
import type { RedlineConfig, SourceConfig } from '../../src/config/types.js';
import { checkSource, type CheckOutcome } from '../../src/core/check.js';
import { openContext, type AlertSink, type OpenedContext } from '../../src/core/context.js';
import type { CheckPolicy } from '../../src/core/events.js';
import { Fetcher } from '../../src/fetch/index.js';
import { openFsStore, type FsStore } from '../../src/store/index.js';
import type { Alert } from '../../src/alert/types.js';
import type { Handler, Site } from './site.js';

/** Small limits so timeouts and caps trip in about a second. */
export const FETCH_YAML = `defaults:
  connect_timeout: 1s
  response_timeout: 1s
  body_timeout: 1500ms
  max_size: 4MB
  retries: 0
  per_host_delay: 0
`;

export function send(res: http.ServerResponse, status: number, body: Buffer, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': String(body.length), ...headers }).end(body);
}

/** A well-behaved answer with an ETag, honouring If-None-Match as a real server would. */
export function goodHandler(body: Buffer, type: string): Handler {
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  return (req, res) => {
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    send(res, 200, body, type, { etag });
  };
}

/**
 * robots.txt is 404 (everything allowed) unless `robots` answers it. Every answer closes its
 * connection, so each check connects (and looks the name up) afresh: a pooled keep-alive
 * socket would hide a DNS failure or a refused connection.
 */
export function withRobots(handler: Handler, robots?: Handler): Handler {
  return (req, res) => {
    res.shouldKeepAlive = false;
    if (req.url === '/robots.txt') {
      if (robots) return robots(req, res);
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no robots.txt here\n');
    }
    handler(req, res);
  };
}

/** Keeps every alert queued (once per key), and passes it on to `next` (a real outbox) if given. */
export class RecordingSink implements AlertSink {
  readonly alerts: Alert[] = [];
  constructor(private readonly next?: AlertSink) {}
  async enqueue(alert: Alert): Promise<void> {
    if (!this.alerts.some((a) => a.key === alert.key)) this.alerts.push(alert);
    await this.next?.enqueue(alert);
  }
}

export interface Rig {
  dir: string;
  config: RedlineConfig;
  source: SourceConfig;
  store: FsStore;
  ctx: OpenedContext;
  sink: RecordingSink;
  check(): Promise<CheckOutcome>;
  close(): Promise<void>;
}

export interface RigOptions {
  site: Site;
  id: string;
  url: string;
  /** Extra YAML lines for the source (indented under it). */
  sourceYaml?: string;
  /** Extra top-level YAML (alert channels …). */
  topYaml?: string;
  /** Where alerts go besides the recording (a real outbox); may need the config, so it is built from it. */
  sink?: (config: RedlineConfig) => AlertSink | undefined;
  policy?: Partial<CheckPolicy>;
  now?: () => number;
  /** The fetcher to check with (closed with the rig); default: the watch list's, on the site's DNS. */
  fetcher?: Fetcher;
}

export async function openRig(opts: RigOptions): Promise<Rig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `redline-hostile-${opts.id}-`));
  const yaml = `archive: ${JSON.stringify(path.join(dir, 'archive'))}\n${FETCH_YAML}sources:\n  - id: ${opts.id}\n    url: ${JSON.stringify(opts.url)}\n${opts.sourceYaml ?? ''}${opts.topYaml ?? ''}`;
  const config = parseConfigText(yaml, path.join(dir, 'redline.yaml'), {});
  const source = config.sources[0]!;
  const store = await openFsStore(config.archive);
  // Robots answers are not cached, so a behaviour that changes robots.txt is seen at once.
  const fetcher = opts.fetcher ?? Fetcher.forWatchList({ lookup: opts.site.lookup, robotsTtlMs: 0, robotsRetryMs: 0, retryBaseMs: 10 });
  const sink = new RecordingSink(opts.sink?.(config));
  const ctx = await openContext(config, { store, fetcher, sink, policy: opts.policy, now: opts.now });
  return {
    dir, config, source, store, ctx, sink,
    check: () => checkSource(ctx, source),
    async close() {
      await ctx.close();
      await fetcher.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
