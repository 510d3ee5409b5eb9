import iconv from 'iconv-lite';

/**
 * Writes small, valid PDFs for tests: Helvetica text at given positions, optionally with an
 * /Encrypt dictionary whose user password is not empty (so readers must ask for a password).
 * Real files would hide what each test is about; these show it.
 */

export interface PdfText {
  x: number;
  y: number;
  size: number;
  text: string;
}

const escape = (s: string): string => s.replace(/[\\()]/g, (c) => `\\${c}`);

export function buildPdf(pages: PdfText[][], options: { encrypt?: boolean; height?: number } = {}): Buffer {
  const height = options.height ?? 792;
  const objects: Buffer[] = [];
  const add = (body: Buffer | string): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const catalog = add('');
  const pageTree = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const texts of pages) {
    const ops = texts.map((t) => `BT /F1 ${t.size} Tf ${t.x} ${t.y} Td (${escape(t.text)}) Tj ET`).join('\n');
    // WinAnsiEncoding is windows-1252: "•" is 0x95, "’" is 0x92.
    const content = iconv.encode(ops, 'windows-1252');
    const stream = add(Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]));
    kids.push(
      add(`<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 612 ${height}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`),
    );
  }
  objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pageTree} 0 R >>`);
  objects[pageTree - 1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  let encrypt = 0;
  if (options.encrypt) {
    const o = 'A1'.repeat(32);
    const u = 'B2'.repeat(32);
    encrypt = add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${o}> /U <${u}> /P -44 >>`);
  }
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    chunks.push(chunk);
    offset += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  const id = '<0123456789ABCDEF0123456789ABCDEF>';
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${encrypt ? ` /Encrypt ${encrypt} 0 R` : ''} /ID [${id} ${id}] >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref + trailer, 'latin1'));
  return Buffer.concat(chunks);
}

/** Lines of body text from the top of a page, 14 units apart, with paragraph gaps of 28. */
export function column(paragraphs: string[][], top = 700, x = 72, size = 12): PdfText[] {
  const out: PdfText[] = [];
  let y = top;
  for (const lines of paragraphs) {
    for (const text of lines) {
      out.push({ x, y, size, text });
      y -= 14;
    }
    y -= 14;
  }
  return out;
}
