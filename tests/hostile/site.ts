/**
 * A loopback "internet" for the hostile suite: two HTTP servers (127.0.0.1 and 127.0.0.2)
 * that route by Host name, and an injected DNS lookup that maps `*.gov.test` names to them.
 * Each behaviour owns one host name, so it can misbehave (or have its DNS break) without
 * touching any other. Nothing here ever leaves the machine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { LookupFunction } from '../../src/fetch/index.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** What the lookup answers for a name: an IP, or a failure like getaddrinfo's. */
export type DnsAnswer = { address: string } | { fail: 'ENOTFOUND' | 'EAI_AGAIN' } | { empty: true };

export interface Site {
  /** Port of the main server on 127.0.0.1. */
  port: number;
  /** Port of the second server on 127.0.0.2 (another loopback address: "another host"). */
  mirrorPort: number;
  lookup: LookupFunction;
  /** Route every request for `host` (name without port) to `handler`; undefined removes it. */
  route(host: string, handler: Handler | undefined): void;
  /** Override DNS for `host`; undefined restores the default mapping. */
  dns(host: string, answer: DnsAnswer | undefined): void;
  /** Requests seen per host name, in order (path only). */
  seen(host: string): string[];
  close(): Promise<void>;
}

const MIRROR_PREFIX = 'mirror.';

function hostName(req: http.IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

async function listen(server: http.Server, address: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startSite(): Promise<Site> {
  const routes = new Map<string, Handler>();
  const overrides = new Map<string, DnsAnswer>();
  const seen = new Map<string, string[]>();
  const sockets = new Set<Socket>();
  const dispatch: Handler = (req, res) => {
    const host = hostName(req);
    seen.set(host, [...(seen.get(host) ?? []), req.url ?? '']);
    const handler = routes.get(host);
    if (handler) return handler(req, res);
    res.writeHead(421, { 'content-type': 'text/plain' }).end(`no route for host ${host} on this test site\n`);
  };
  const servers = [http.createServer(dispatch), http.createServer(dispatch)];
  for (const s of servers) {
    // Handlers that hang on purpose keep sockets open; close() must be able to end them.
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    // A client that gives up mid-answer is the point of several behaviours, not an error.
    s.on('clientError', (_err, socket: Socket) => socket.destroy());
  }
  const port = await listen(servers[0]!, '127.0.0.1');
  const mirrorPort = await listen(servers[1]!, '127.0.0.2');

  const lookup: LookupFunction = (hostname, opts, callback) => {
    const name = hostname.toLowerCase();
    const answer: DnsAnswer | undefined =
      overrides.get(name) ?? (name.endsWith('.gov.test') ? { address: name.startsWith(MIRROR_PREFIX) ? '127.0.0.2' : '127.0.0.1' } : undefined);
    // Answer on a later tick, as a real resolver would.
    setImmediate(() => {
      if (!answer || 'fail' in answer) {
        const code = answer && 'fail' in answer ? answer.fail : 'ENOTFOUND';
        const err: NodeJS.ErrnoException = new Error(`getaddrinfo ${code} ${hostname}`);
        err.code = code;
        return callback(err, opts.all ? [] : '', 0);
      }
      const list = 'empty' in answer ? [] : [{ address: answer.address, family: 4 }];
      if (opts.all) callback(null, list);
      else callback(null, list[0]?.address ?? '', list[0] ? 4 : 0);
    });
  };

  return {
    port,
    mirrorPort,
    lookup,
    route: (host, handler) => (handler ? routes.set(host.toLowerCase(), handler) : routes.delete(host.toLowerCase())),
    dns: (host, answer) => (answer ? overrides.set(host.toLowerCase(), answer) : overrides.delete(host.toLowerCase())),
    seen: (host) => seen.get(host.toLowerCase()) ?? [],
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
