import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/store/index.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same bytes whatever the insertion order', () => {
    const one = { url: 'u', time: 't', meta: { k2: 2, k1: 1 } };
    const two = { meta: { k1: 1, k2: 2 }, time: 't', url: 'u' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts keys by UTF-16 code units (RFC 8785), not by locale', () => {
    expect(canonicalJson({ b: 0, B: 0, é: 0, a: 0, '1': 0 })).toBe('{"1":0,"B":0,"a":0,"b":0,"é":0}');
  });

  it('escapes strings as JSON.stringify does and keeps non-ASCII as is', () => {
    expect(canonicalJson({ s: 'line\nbreak "q" \\ \u0001 – é 🙂' })).toBe('{"s":"line\\nbreak \\"q\\" \\\\ \\u0001 – é 🙂"}');
  });

  it('matches Python json.dumps(sort_keys, compact, ensure_ascii=False) on integer data', () => {
    const value = { seq: 12, prev: '', url: 'https://gov.example/a?b=1&c=ü', meta: { links: [{ href: '/x', text: 'Ünïcödé "q"\n' }], n: -3 } };
    const py = execFileSync('python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), sort_keys=True, separators=(",",":"), ensure_ascii=False))'], {
      input: JSON.stringify(value),
    }).toString('utf8');
    expect(canonicalJson(value)).toBe(py);
  });

  it('omits undefined members', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it.each([
    ['NaN', { n: NaN }, /\$\.n is NaN/],
    ['Infinity', { n: [1, Infinity] }, /\$\.n\[1\] is Infinity/],
    ['a Date', { d: new Date(0) }, /\$\.d is a Date object/],
    ['a Buffer', { b: Buffer.from('x') }, /\$\.b is a Buffer object/],
    ['a bigint', { b: 1n }, /\$\.b is a bigint/],
    ['a function', { f: () => 1 }, /\$\.f is a function/],
    ['undefined in an array', { a: [1, undefined] }, /\$\.a\[1\] is undefined/],
  ])('refuses %s with the path of the value', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/cycle/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('sha256Hex', () => {
  it('hashes bytes and UTF-8 strings as sha256sum does', () => {
    const text = 'Statement of Principles – 2018';
    const expected = execFileSync('sha256sum', { input: Buffer.from(text, 'utf8') }).toString().slice(0, 64);
    expect(sha256Hex(text)).toBe(expected);
    expect(sha256Hex(Buffer.from(text, 'utf8'))).toBe(expected);
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
