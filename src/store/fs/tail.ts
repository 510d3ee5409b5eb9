import type { promises as fsp } from 'node:fs';

/** Reading a log from its end, so finding the head costs the same for 1 or 100,000 entries. */

const CHUNK = 8192;
const NL = 0x0a;

/** Index of the last '\n' in bytes [0, end) of the file, or -1. Reads backwards in chunks. */
export async function lastNewlineBefore(handle: fsp.FileHandle, end: number): Promise<number> {
  let pos = end;
  const buf = Buffer.allocUnsafe(CHUNK);
  while (pos > 0) {
    const start = Math.max(0, pos - CHUNK);
    const len = pos - start;
    const { bytesRead } = await handle.read(buf, 0, len, start);
    const at = buf.subarray(0, bytesRead).lastIndexOf(NL);
    if (at >= 0) return start + at;
    pos = start;
  }
  return -1;
}

export async function readRange(handle: fsp.FileHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.alloc(end - start);
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, start + done);
    if (bytesRead === 0) throw new Error(`file ended early while reading bytes ${start}-${end}`);
    done += bytesRead;
  }
  return buf;
}

export interface Tail {
  /** File size in bytes. */
  size: number;
  /** Bytes up to and including the last newline: the complete lines. */
  completeEnd: number;
  /** The last complete line (without newline) and where it starts; absent if there is none. */
  lastLine?: { start: number; bytes: Buffer };
}

export async function readTail(handle: fsp.FileHandle): Promise<Tail> {
  const { size } = await handle.stat();
  if (size === 0) return { size, completeEnd: 0 };
  const lastNl = await lastNewlineBefore(handle, size);
  const completeEnd = lastNl + 1;
  if (completeEnd === 0) return { size, completeEnd };
  const start = (await lastNewlineBefore(handle, lastNl)) + 1;
  return { size, completeEnd, lastLine: { start, bytes: await readRange(handle, start, lastNl) } };
}

/** First read size when walking lines backwards; later reads double. */
const BACK_CHUNK = 16 * 1024;

/**
 * The complete lines of bytes [0, end) of the file (end just past a newline), newest first,
 * without their newlines, with where each starts. Reads only as far back as the caller takes.
 */
export async function* linesBackward(handle: fsp.FileHandle, end: number): AsyncGenerator<{ start: number; bytes: Buffer }> {
  // buf holds file bytes [bufStart, end); `end` is just past the newline of the next line.
  let bufStart = end;
  let buf = Buffer.alloc(0);
  while (end > 0) {
    const lastByte = end - 2 - bufStart;
    let nl = lastByte >= 0 ? buf.lastIndexOf(NL, lastByte) : -1;
    while (nl < 0 && bufStart > 0) {
      // Grow geometrically so a long line (a version with many links) is not re-read in small steps.
      const from = Math.max(0, bufStart - Math.max(BACK_CHUNK, buf.length));
      buf = Buffer.concat([await readRange(handle, from, bufStart), buf]);
      bufStart = from;
      const at = end - 2 - bufStart;
      nl = at >= 0 ? buf.lastIndexOf(NL, at) : -1;
    }
    const start = nl < 0 ? bufStart : bufStart + nl + 1;
    yield { start, bytes: buf.subarray(start - bufStart, end - 1 - bufStart) };
    end = start;
    buf = buf.subarray(0, start - bufStart);
  }
}

/** Split complete lines (the buffer must end with '\n' or be empty). */
export function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(NL, start);
    if (nl < 0) break;
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  return lines;
}
