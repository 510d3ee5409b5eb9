/**
 * One HTTP exchange: a single GET to a single URL (no redirects, no retries),
 * through a shared keep-alive undici Agent, under the per-host politeness gate,
 * with the address guard in the socket's DNS lookup.
 */
import { Agent, request } from 'undici';
import { guardedLookup, literalIp, type AddressPolicy, type LookupFunction } from './address.js';
import { readBody } from './body.js';
import { FetchProblem, classifyError } from './errors.js';
import type { HostGate } from './host-gate.js';
import type { FetchDefaults } from '../config/types.js';

export interface HopResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decompressed body for 2xx; empty for anything else (it is drained, not kept). */
  body: Buffer;
}

export interface HopLimits {
  options: FetchDefaults;
  /** Minimum gap between request starts to this host (may exceed options.perHostDelayMs for Crawl-delay). */
  delayMs: number;
  maxBytes: number;
  truncate: boolean;
  /** The caller's cancellation (the fetcher's close() and the request's own signal). */
  signal?: AbortSignal;
}

/** Bodies of redirects and errors are read this far so the connection can be reused, then dropped. */
const DRAIN_LIMIT = 64 * 1024;

export class HopClient {
  /** One Agent per connect timeout: undici fixes that timeout per Agent, and sources rarely differ. */
  private readonly agents = new Map<number, Agent>();
  private readonly lookup: LookupFunction;

  /** `policy` undefined means every address is allowed (the owner's watch list). */
  constructor(
    baseLookup: LookupFunction,
    private readonly policy: AddressPolicy | undefined,
    private readonly gate: HostGate,
  ) {
    this.lookup = guardedLookup(baseLookup, policy);
  }

  async send(url: URL, headers: Record<string, string>, limits: HopLimits): Promise<HopResponse> {
    const { options } = limits;
    this.refuseLiteral(url);
    const release = await this.gate.acquire(url.host, options.perHostConcurrency, limits.delayMs).catch((err: Error) => {
      throw new FetchProblem('network', `not fetching ${url.href}: ${err.message}`);
    });
    const controller = new AbortController();
    const headerBudget = options.connectTimeoutMs + options.responseTimeoutMs;
    // undici's own timers cover connect and headers separately; this one bounds
    // the sum, including time spent in DNS, so nothing can wait forever.
    const headerTimer = setTimeout(() => {
      controller.abort(
        new FetchProblem('timeout', `timeout fetching ${url.href}: no response headers within ${headerBudget} ms (connectTimeoutMs + responseTimeoutMs)`, true),
      );
    }, headerBudget);
    const cancel = () => controller.abort(new FetchProblem('network', `fetch of ${url.href} abandoned: the check was cancelled`));
    if (limits.signal?.aborted) cancel();
    limits.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const res = await request(url, {
        dispatcher: this.agentFor(options.connectTimeoutMs),
        method: 'GET',
        headers,
        signal: controller.signal,
        headersTimeout: options.responseTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      });
      clearTimeout(headerTimer);
      const flat = flattenHeaders(res.headers);
      if (res.statusCode < 200 || res.statusCode >= 300) {
        // A timer cleared at once, not AbortSignal.timeout: that one stays pending for the whole
        // body time limit after every 304, thousands at a time in a busy `redline watch`.
        const drainTimer = setTimeout(() => controller.abort(new Error('drain timed out')), options.bodyTimeoutMs);
        await res.body.dump({ limit: DRAIN_LIMIT, signal: controller.signal }).catch(() => undefined);
        clearTimeout(drainTimer);
        return { status: res.statusCode, headers: flat, body: Buffer.alloc(0) };
      }
      const declared = Number(flat['content-length']);
      if (!limits.truncate && Number.isFinite(declared) && declared > limits.maxBytes) {
        res.body.destroy();
        throw new FetchProblem(
          'too-large',
          `${url.href} declares Content-Length ${declared}, over maxBytes (${limits.maxBytes}); raise fetch.maxBytes for this source if that is expected`,
        );
      }
      const body = await readBody(res.body, {
        url: url.href,
        contentEncoding: flat['content-encoding'],
        maxBytes: limits.maxBytes,
        deadlineMs: options.bodyTimeoutMs,
        truncate: limits.truncate,
      });
      return { status: res.statusCode, headers: flat, body };
    } catch (err) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
      throw classifyError(reason, url.href);
    } finally {
      clearTimeout(headerTimer);
      limits.signal?.removeEventListener('abort', cancel);
      release();
    }
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((a) => a.destroy().catch(() => undefined)));
  }

  /** An IP written in the URL never passes through DNS, so the lookup guard cannot see it. */
  private refuseLiteral(url: URL): void {
    if (!this.policy) return;
    const ip = literalIp(url.hostname);
    const reason = ip === undefined ? undefined : this.policy(ip);
    if (ip !== undefined && reason !== undefined) {
      throw new FetchProblem(
        'blocked-address',
        `blocked ${url.href}: ${ip} is a ${reason} address; private targets are refused for untrusted URLs`,
      );
    }
  }

  private agentFor(connectTimeoutMs: number): Agent {
    let agent = this.agents.get(connectTimeoutMs);
    if (!agent) {
      agent = new Agent({ connect: { timeout: connectTimeoutMs, lookup: this.lookup }, keepAliveTimeout: 10_000 });
      this.agents.set(connectTimeoutMs, agent);
    }
    return agent;
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
