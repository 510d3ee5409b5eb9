import { createHash } from 'node:crypto';

/**
 * Canonical JSON as the archive hashes it: RFC 8785 (JCS) for every value Redline stores.
 * Object keys sorted by UTF-16 code units (JavaScript's default sort, as JCS says), no
 * whitespace, strings and numbers written as JSON.stringify writes them. The same value
 * always gives the same bytes, so a hash over them can be recomputed by anyone.
 *
 * Only plain JSON data is accepted: a Date, Map, Buffer, class instance, bigint, function,
 * NaN or Infinity would serialise lossily or differently elsewhere, so it is refused with
 * the path of the offending value. `undefined` object members are left out (as
 * JSON.stringify does); `undefined` inside an array is refused (JSON.stringify would turn
 * it into null, silently changing the data).
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, '$', parts, new Set());
  return parts.join('');
}

function write(value: unknown, path: string, out: string[], stack: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot represent; store it as a string or leave it out`);
      }
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which is not JSON data; convert it to a string, number, boolean, array or plain object`);
  }
  const obj = value as object;
  if (stack.has(obj)) {
    throw new TypeError(`canonicalJson: ${path} refers back to one of its own ancestors (a cycle); JSON cannot represent it`);
  }
  stack.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = obj[i];
      if (item === undefined) {
        throw new TypeError(`canonicalJson: ${path}[${i}] is undefined (or a hole); use null or remove the element`);
      }
      write(item, `${path}[${i}]`, out, stack);
    }
    out.push(']');
  } else {
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      throw new TypeError(`canonicalJson: ${path} is a ${name} object, not a plain object; convert it first (e.g. a Date with toISOString())`);
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(member, `${path}.${key}`, out, stack);
    }
    out.push('}');
  }
  stack.delete(obj);
}

/** sha256 as 64 lowercase hex chars; strings are hashed as their UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
