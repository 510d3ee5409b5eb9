/**
 * Reading a response body under limits: a total deadline (a trickling server
 * cannot hold us forever), a byte cap on the wire AND after decompression (a
 * few KB of brotli can expand to gigabytes), decompressed by us because
 * undici's `request` hands back the raw bytes.
 */
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { FetchProblem, classifyError } from './errors.js';

export interface BodyLimits {
  url: string;
  /** Content-Encoding header value, e.g. "gzip" or "gzip, br". */
  contentEncoding?: string;
  maxBytes: number;
  /** Whole-body deadline in ms, counted from the call. */
  deadlineMs: number;
  /** Stop at maxBytes and return what arrived instead of failing (robots.txt). */
  truncate?: boolean;
}

/** Thrown into the pipeline when enough has been kept in truncate mode. */
class Enough extends Error {}

class CountingStream extends Transform {
  bytes = 0;
  constructor(private readonly max: number, private readonly onOver: () => Error) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) cb(this.onOver());
    else cb(null, chunk);
  }
}

/** Decoders for a Content-Encoding list, in the order to apply them (last applied first). */
function decoders(contentEncoding: string | undefined, url: string, firstByte: number | undefined): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  return codings.map((coding, i) => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return zlib.createGunzip();
      case 'br':
        return zlib.createBrotliDecompress();
      case 'deflate': {
        // "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw
        // deflate; a zlib stream starts with CM=8 in the low nibble of byte 0.
        const raw = i === 0 && firstByte !== undefined && (firstByte & 0x0f) !== 8;
        return raw ? zlib.createInflateRaw() : zlib.createInflate();
      }
      default:
        throw new FetchProblem(
          'decode',
          `unsupported Content-Encoding "${coding}" from ${url}; Redline can decode gzip, deflate and br`,
        );
    }
  });
}

/** Look at the first byte without consuming it (only needed for deflate). */
async function peekFirstByte(body: Readable): Promise<number | undefined> {
  for (;;) {
    const chunk = body.read() as Buffer | null;
    if (chunk !== null) {
      body.unshift(chunk);
      return chunk[0];
    }
    if (body.readableEnded || body.destroyed) return undefined;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        body.off('readable', done).off('end', done).off('error', done).off('close', done);
        resolve();
      };
      body.on('readable', done).on('end', done).on('error', done).on('close', done);
    });
    if (body.errored) throw body.errored;
  }
}

/** Read, decompress and cap `body`; throws FetchProblem ('too-large', 'timeout', 'decode', 'network'). */
export async function readBody(body: Readable, limits: BodyLimits): Promise<Buffer> {
  const { url, maxBytes, deadlineMs } = limits;
  const tooLarge = (what: string): FetchProblem =>
    new FetchProblem(
      'too-large',
      `${url} is larger than maxBytes (${maxBytes} bytes ${what}); raise fetch.maxBytes for this source if that is expected`,
    );
  const timer = setTimeout(() => {
    body.destroy(
      new FetchProblem(
        'timeout',
        `timeout reading the body of ${url}: not complete within ${deadlineMs} ms (bodyTimeoutMs); the server is too slow`,
        true,
      ),
    );
  }, deadlineMs);
  const chunks: Buffer[] = [];
  let kept = 0;
  /** Keep a decoded chunk; false once enough is kept (truncate mode), throws past the cap otherwise. */
  const keep = (chunk: Buffer, what: string): boolean => {
    const room = maxBytes - kept;
    if (chunk.length <= room) {
      chunks.push(chunk);
      kept += chunk.length;
      return true;
    }
    if (!limits.truncate) throw tooLarge(what);
    chunks.push(chunk.subarray(0, room));
    kept = maxBytes;
    return false;
  };
  try {
    const needsPeek = /deflate/i.test(limits.contentEncoding ?? '');
    const firstByte = needsPeek ? await peekFirstByte(body) : undefined;
    const chain = decoders(limits.contentEncoding, url, firstByte);
    if (chain.length === 0) {
      // Plain bodies skip stream.pipeline: its per-call AbortController costs
      // more CPU than the rest of a small fetch.
      for await (const chunk of body as AsyncIterable<Buffer>) if (!keep(chunk, 'received')) break;
    } else {
      const wire = new CountingStream(maxBytes, () => (limits.truncate ? new Enough() : tooLarge('on the wire')));
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          try {
            cb(keep(chunk, 'after decompression') ? null : new Enough());
          } catch (err) {
            cb(err as Error);
          }
        },
      });
      await pipeline([body, wire, ...chain, sink]);
    }
  } catch (err) {
    if (!(err instanceof Enough)) {
      // The first error wins; a deadline hit surfaces as the FetchProblem the body was destroyed with.
      throw classifyError(body.errored instanceof FetchProblem ? body.errored : err, url);
    }
  } finally {
    clearTimeout(timer);
    if (!body.readableEnded) {
      // undici's body emits an AbortError when destroyed early; nobody is left to hear it.
      body.on('error', () => undefined);
      body.destroy();
    }
  }
  return Buffer.concat(chunks, kept);
}
