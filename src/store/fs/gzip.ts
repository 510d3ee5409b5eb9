import zlib from 'node:zlib';

/**
 * Blob files are single-member gzip with one fixed 10-byte header, so that `gzip -dc FILE`
 * is all a third party needs, and so that verify can tell when any byte of a file changed,
 * not just the bytes that alter the content: decompressors ignore the header's MTIME, XFL,
 * OS bytes and FTEXT flag and the padding bits after the deflate stream, and a tamperer
 * could otherwise change those unnoticed.
 *
 * Header: magic 1f 8b, method 08 (deflate), flags 00, MTIME 0, XFL 00, OS ff ("unknown",
 * so a file written on Windows is byte-identical to one written on Linux).
 */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
const TRAILER = 8;

export function encodeBlob(data: Uint8Array): Buffer {
  const gz = zlib.gzipSync(data, { level: 6 });
  // The header is outside the CRC, so overwriting it with the fixed one keeps the file valid.
  GZIP_HEADER.copy(gz, 0);
  return gz;
}

/** Decompress for reading; integrity is judged by the caller's sha256 of the result. */
export function decodeBlob(file: Uint8Array): Buffer {
  return zlib.gunzipSync(file);
}

export type StrictDecode = { ok: true; data: Buffer } | { ok: false; reason: string };

/**
 * Decode a blob file and reject any byte layout Redline would not have written. Catches
 * every change that a plain gunzip ignores, except one: the padding bits inside a stored
 * (uncompressed) deflate block header, which zlib neither writes non-zero nor reads; those
 * cannot alter the content. See FORMAT.md.
 */
export function decodeBlobStrict(file: Buffer): StrictDecode {
  if (file.length < GZIP_HEADER.length + 2 + TRAILER) {
    return { ok: false, reason: `file is ${file.length} bytes, too short to be a gzip file` };
  }
  if (!file.subarray(0, GZIP_HEADER.length).equals(GZIP_HEADER)) {
    return {
      ok: false,
      reason: `gzip header is ${file.subarray(0, 10).toString('hex')}, expected ${GZIP_HEADER.toString('hex')} (Redline writes one fixed header)`,
    };
  }
  const body = file.subarray(GZIP_HEADER.length);
  let data: Buffer;
  let consumed: number;
  try {
    const result = zlib.inflateRawSync(body, { info: true }) as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
    data = result.buffer;
    consumed = result.engine.bytesWritten;
  } catch (err) {
    return { ok: false, reason: `deflate data is corrupt: ${(err as Error).message}` };
  }
  const end = GZIP_HEADER.length + consumed;
  if (end + TRAILER !== file.length) {
    const extra = file.length - (end + TRAILER);
    return {
      ok: false,
      reason:
        extra > 0
          ? `${extra} unexpected bytes after the deflate stream and trailer`
          : `gzip trailer is ${-extra} bytes short (file truncated)`,
    };
  }
  const crc = file.readUInt32LE(end);
  const size = file.readUInt32LE(end + 4);
  const actualCrc = crc32(data);
  if (crc !== actualCrc) {
    return { ok: false, reason: `gzip CRC32 is ${hex32(crc)} but the content's is ${hex32(actualCrc)}` };
  }
  if (size !== data.length % 2 ** 32) {
    return { ok: false, reason: `gzip size field is ${size} but the content is ${data.length} bytes` };
  }
  const last = file[end - 1];
  if (last !== 0 && highBitIsPadding(body.subarray(0, consumed), last, data)) {
    return { ok: false, reason: `non-zero padding bits after the end of the deflate stream (byte ${end - 1})` };
  }
  return { ok: true, data };
}

/**
 * The last deflate byte holds the final code bits in its low bits and zero padding above
 * them (deflate fills bytes from the least significant bit). If clearing its highest set
 * bit decodes to the same content, that bit was padding a decoder ignores, i.e. the file
 * was changed after zlib wrote it. One extra inflate, only when the last byte is non-zero.
 */
function highBitIsPadding(deflate: Buffer, last: number, data: Buffer): boolean {
  const copy = Buffer.from(deflate);
  const high = 1 << (31 - Math.clz32(last));
  copy[copy.length - 1] = last & ~high;
  try {
    const result = zlib.inflateRawSync(copy, { info: true }) as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
    return result.engine.bytesWritten === deflate.length && result.buffer.equals(data);
  } catch {
    return false;
  }
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

let table: Uint32Array | undefined;

/** CRC-32 (gzip's). Uses zlib.crc32 where Node has it (20.15+, 22.2+). */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  return typeof native === 'function' ? native(data) >>> 0 : crc32Portable(data);
}

/** Table-driven CRC-32 for Node releases without zlib.crc32. */
export function crc32Portable(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
