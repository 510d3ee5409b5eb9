/**
 * The soak's webhook receiver on 127.0.0.1: checks X-Redline-Signature (HMAC-SHA256 of the
 * raw body with the shared secret), counts accepted deliveries per Idempotency-Key, and
 * answers 500 to a seeded random share of valid deliveries so the outbox's retries run.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { prng } from '../corpus.js';
import { REFUSED_MARK } from './watch.js';

export interface ReceiverStats {
  requests: number;
  accepted: number;
  /** Valid deliveries answered 500 on purpose. */
  refused: number;
  /** Signature missing or wrong: must stay 0. */
  hmacFailures: number;
  /** Not a POST of a JSON alert, or the body's key differs from the Idempotency-Key header. */
  malformed: number;
  /** The last few problems, for the report. */
  problems: string[];
}

export interface Receiver {
  url: string;
  stats: ReceiverStats;
  /** Accepted deliveries per idempotency key. */
  accepted: Map<string, number>;
  /** When each key was first accepted (ms, the clock given to startReceiver). */
  firstAcceptedAt: Map<string, number>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  secret: string;
  /** Share of valid deliveries answered 500 (0..1). */
  refuseShare: number;
  seed: number;
  now: () => number;
  /** Called after each accepted delivery (the run waits on it at the end). */
  onAccepted?: (key: string) => void;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`body over ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function signatureValid(body: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'), 'utf8');
  const got = Buffer.from(header.slice('sha256='.length), 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}

export async function startReceiver(o: ReceiverOptions): Promise<Receiver> {
  const stats: ReceiverStats = { requests: 0, accepted: 0, refused: 0, hmacFailures: 0, malformed: 0, problems: [] };
  const accepted = new Map<string, number>();
  const firstAcceptedAt = new Map<string, number>();
  const rnd = prng(o.seed);
  const problem = (text: string) => {
    stats.problems.push(text);
    if (stats.problems.length > 10) stats.problems.shift();
  };
  const server = createServer((req, res) => {
    stats.requests++;
    readBody(req)
      .then((body) => {
        const key = req.headers['idempotency-key'];
        if (req.method !== 'POST' || typeof key !== 'string' || !key) {
          stats.malformed++;
          problem(`${req.method} ${req.url}: no Idempotency-Key`);
          return void res.writeHead(400).end();
        }
        if (!signatureValid(body, req.headers['x-redline-signature'], o.secret)) {
          stats.hmacFailures++;
          problem(`${key}: X-Redline-Signature ${JSON.stringify(req.headers['x-redline-signature'] ?? null)} does not match the body`);
          return void res.writeHead(401).end();
        }
        let bodyKey: unknown;
        try {
          bodyKey = (JSON.parse(body.toString('utf8')) as { key?: unknown }).key;
        } catch (err) {
          bodyKey = `unparseable: ${(err as Error).message}`;
        }
        if (bodyKey !== key) {
          stats.malformed++;
          problem(`${key}: body key ${JSON.stringify(bodyKey)} differs from the Idempotency-Key header`);
          return void res.writeHead(400).end();
        }
        if (rnd() < o.refuseShare) {
          stats.refused++;
          return void res.writeHead(500).end(REFUSED_MARK);
        }
        stats.accepted++;
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
        if (!firstAcceptedAt.has(key)) firstAcceptedAt.set(key, o.now());
        res.writeHead(204).end();
        o.onAccepted?.(key);
      })
      .catch((err: Error) => {
        stats.malformed++;
        problem(`reading a delivery failed: ${err.message}`);
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    stats,
    accepted,
    firstAcceptedAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
