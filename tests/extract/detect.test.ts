import { describe, expect, it } from 'vitest';
import { detectKind, ExtractError } from '../../src/extract/index.js';
import { FEMA_A, LETTER_PDF, fixture } from './helpers.js';

describe('detectKind', () => {
  it('trusts %PDF magic over any content type', () => {
    expect(detectKind(fixture(LETTER_PDF), 'text/html', 'https://x.gov/page.html')).toBe('pdf');
    expect(detectKind(Buffer.from('\r\n\r\n%PDF-1.7\n...'), 'application/octet-stream')).toBe('pdf');
  });

  it('sniffs HTML before the content type', () => {
    expect(detectKind(fixture(FEMA_A), 'application/octet-stream')).toBe('html');
    expect(detectKind(Buffer.from('\uFEFF  <!DOCTYPE html><title>x</title>'), 'text/plain')).toBe('html');
    expect(detectKind(Buffer.from('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'))).toBe('html');
    expect(detectKind(Buffer.from('Statement\n<p>one</p><div>two</div><br>'))).toBe('html');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html><body>x</body></html>', 'utf16le')]);
    expect(detectKind(utf16)).toBe('html');
  });

  it('then uses the content type, then the URL extension, then defaults to text', () => {
    expect(detectKind(Buffer.from('Joint statement'), 'text/html; charset=utf-8')).toBe('html');
    expect(detectKind(Buffer.from('Joint statement'), 'application/pdf')).toBe('pdf');
    expect(detectKind(Buffer.from('Joint statement'), 'text/plain')).toBe('text');
    expect(detectKind(Buffer.from('Joint statement'), undefined, 'https://x.gov/a/statement.htm?x=1')).toBe('html');
    expect(detectKind(Buffer.from('Joint statement'), undefined, '/tmp/statement.txt')).toBe('text');
    expect(detectKind(Buffer.from('Joint statement'))).toBe('text');
  });

  it('refuses binary bodies even when served as text/html', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(() => detectKind(png, 'text/html')).toThrow(/PNG image/);
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 256;
    try {
      detectKind(random, 'text/html', 'https://x.gov/s');
      expect.unreachable('binary body accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ExtractError);
      expect((err as ExtractError).code).toBe('binary');
      expect((err as Error).message).toContain('https://x.gov/s');
    }
    const withNuls = Buffer.from('<html><body>' + 'statement\u0000'.repeat(50) + '</body></html>');
    expect(() => detectKind(withNuls, 'text/html')).toThrow(/NUL bytes/);
  });

  it('tolerates a stray control byte in a long page', () => {
    const page = Buffer.from('<html><body><p>' + 'words '.repeat(2000) + '\u0001</p></body></html>');
    expect(detectKind(page, 'text/html')).toBe('html');
  });
});
