import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/extract/index.js';
import { repairMojibake } from '../../src/extract/mojibake.js';
import { BOGUS_CHARSET, FEMA_A, FEMA_B, fixture } from './helpers.js';

const cp1252 = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

describe('decodeBytes: charset evidence order', () => {
  it('a UTF-8 BOM wins over a contradicting header and is stripped', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Español', 'utf8')]);
    const d = decodeBytes(body, 'text/html; charset=windows-1252');
    expect(d).toMatchObject({ text: 'Español', charset: 'utf-8', repairs: [] });
  });

  it('reads UTF-16LE and UTF-16BE by their BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Déclaration', 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeBytes(le).text).toBe('Déclaration');
    expect(decodeBytes(be)).toMatchObject({ text: 'Déclaration', charset: 'utf-16be' });
  });

  it('recognises UTF-16 without a BOM by its NUL layout', () => {
    expect(decodeBytes(Buffer.from('<p>Déclaration commune</p>', 'utf16le'))).toMatchObject({ text: '<p>Déclaration commune</p>', charset: 'utf-16le' });
  });

  it('uses the Content-Type charset for windows-1252 bytes, mapping 0x80–0x9F as browsers do', () => {
    // “Smart” quotes, en dash, euro sign and ellipsis: Node 20's TextDecoder gets these wrong.
    const body = cp1252('93 53 6d 61 72 74 94 20 96 20 80 35 20 85 20 92');
    const d = decodeBytes(body, 'text/plain; charset=windows-1252');
    expect(d.text).toBe('“Smart” – €5 … ’');
    expect(d.charset).toBe('windows-1252');
  });

  it('treats an iso-8859-1 label as windows-1252 (WHATWG)', () => {
    expect(decodeBytes(cp1252('93 61 94'), 'text/html; charset="ISO-8859-1"')).toMatchObject({ text: '“a”', charset: 'windows-1252' });
  });

  it('finds <meta charset> and http-equiv declarations in the document', () => {
    const meta = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"></head><body>'), cp1252('e9 74 e9'), Buffer.from('</body>')]);
    expect(decodeBytes(meta).text).toContain('été');
    const equiv = Buffer.concat([
      Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2"><p>'),
      cp1252('b3 f3 64 bc'),
    ]);
    expect(decodeBytes(equiv)).toMatchObject({ charset: 'iso-8859-2' });
    expect(decodeBytes(equiv).text).toContain('łódź');
  });

  it('the header beats the meta tag', () => {
    const body = Buffer.concat([Buffer.from('<meta charset="iso-8859-2"><p>'), Buffer.from('Łódź', 'utf8')]);
    expect(decodeBytes(body, 'text/html; charset=utf-8').text).toContain('Łódź');
  });

  it('falls through a bogus label to detection and still gives readable text (NWS fixture)', () => {
    const d = decodeBytes(fixture(BOGUS_CHARSET));
    expect(d.charset).toBe('utf-8');
    expect(d.repairs[0]).toBe('charset: unknown label "who-knows-what-i-am" in the document ignored');
    expect(d.text).toContain('NWS Level II Radar Receive Status as of Tue Jan 17 14:14:06 UTC 2017');
    expect(d.text).not.toContain('\uFFFD');
  });

  it('detects a legacy charset when nothing is declared', () => {
    const french = cp1252(Buffer.from('Le ministre a déclaré que la sécurité nationale était essentielle et que le chiffrement de bout en bout ne doit pas empêcher la justice. Il a précisé que les entreprises doivent coopérer.', 'latin1').toString('hex'));
    const d = decodeBytes(french);
    expect(d.charset).not.toBe('utf-8');
    expect(d.text).toContain('déclaré que la sécurité nationale était essentielle');
  });

  it('decodes invalid bytes in a page declared UTF-8 as windows-1252 and says so', () => {
    const body = Buffer.concat([Buffer.from('Caf', 'utf8'), cp1252('e9'), Buffer.from(' and résumé ', 'utf8'), cp1252('93 71 94')]);
    const d = decodeBytes(body, 'text/html; charset=utf-8');
    expect(d.text).toBe('Café and résumé “q”');
    expect(d.repairs).toEqual(['charset: 3 bytes were not valid UTF-8; decoded them as windows-1252']);
  });

  it('reads UTF-8 bytes mislabelled as a single-byte charset as UTF-8', () => {
    const d = decodeBytes(Buffer.from('Ministère de l’Intérieur', 'utf8'), 'text/html; charset=iso-8859-1');
    expect(d.text).toBe('Ministère de l’Intérieur');
    expect(d.repairs[0]).toMatch(/^charset: declared windows-1252 but the bytes are valid UTF-8/);
  });
});

describe('mojibake repair', () => {
  it('repairs the FEMA b page so its encoding matches the a page', () => {
    const a = decodeBytes(fixture(FEMA_A));
    const b = decodeBytes(fixture(FEMA_B));
    expect(a.repairs).toEqual([]);
    expect(b.repairs).toEqual(['mojibake: double-encoded UTF-8 repaired (131 sequences)']);
    for (const word of ['Español', 'Français', 'Ελληνικά', 'العربية', '简体中文', 'हिन्दी', '한국어', 'Русский', 'Tiếng Việt', 'El Niño']) {
      expect(b.text).toContain(word);
    }
    expect(b.text).not.toMatch(/[ÃÂâ][\u0080-\u00BF]/);
  });

  it('repairs windows-1252 style mojibake (â€™, Â + NBSP) sequence by sequence', () => {
    const r = repairMojibake('Nationâ€™s â€œsecureâ€\u009D data, EspaÃ±ol,Â\u00A0ok — and a correct é stays');
    expect(r?.text).toBe('Nation’s “secure” data, Español,\u00A0ok — and a correct é stays');
    expect(r?.sequences).toBe(5);
  });

  it('repairs text encoded three times over', () => {
    const once = Buffer.from('Español and façade', 'utf8').toString('latin1');
    const twice = Buffer.from(once, 'utf8').toString('latin1');
    expect(repairMojibake(twice)).toMatchObject({ text: 'Español and façade', passes: 2 });
  });

  it('leaves genuine Latin-1 prose alone', () => {
    for (const s of [
      'JOÃO and SÃO PAULO signed; ÂNGELA agreed.',
      'Â la carte: Ã',
      'Conceição Ã© uma palavra', // a lone two-character match is too weak to act on
      'Prix : 5 ¤ — Ãx Ây',
    ]) {
      expect(repairMojibake(s)).toBeUndefined();
    }
  });

  it('does not repair when most lead+continuation pairs are not valid UTF-8', () => {
    // Two valid pairs among many truncated three-byte sequences: not a consistent double encoding.
    expect(repairMojibake('Ã© Ã± â€x â€y â€z â€w â€v â€u â€t â€s')).toBeUndefined();
    // The same two pairs alone are repaired.
    expect(repairMojibake('Ã© Ã±')?.text).toBe('é ñ');
  });
});
