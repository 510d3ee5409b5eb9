import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openFsStore, type VerifyReport } from '../../src/store/index.js';
import { blobFiles, buildSmallArchive, overwrite, readLines, tempDir, writeLines } from './helpers/archive.js';

describe('verify', () => {
  let base: string;
  let pristine: string;
  let root: string;
  let cleanup: () => void;
  let built: Awaited<ReturnType<typeof buildSmallArchive>>;

  beforeAll(async () => {
    ({ dir: base, cleanup } = tempDir());
    pristine = path.join(base, 'pristine');
    built = await buildSmallArchive(pristine);
  });
  afterAll(() => cleanup());
  beforeEach(() => {
    root = path.join(base, 'work');
    rmSync(root, { recursive: true, force: true });
    cpSync(pristine, root, { recursive: true });
  });

  const verifyReadOnly = async (publicKeyPem?: string): Promise<VerifyReport> => {
    const store = await openFsStore(root, { readOnly: true });
    return store.verify({ publicKeyPem });
  };
  const log = (id: string) => path.join(root, 'sources', id, 'log.jsonl');
  const firstBlob = () => path.join(root, blobFiles(root)[0]);

  it('passes an intact archive and counts what it checked', async () => {
    const report = await verifyReadOnly(built.publicKeyPem);
    expect(report).toMatchObject({ ok: true, sources: 3, entries: built.entries, blobs: built.blobs, problems: [] });
    expect(report.summary).toBe(`archive OK: 3 sources, ${built.entries} entries, ${built.blobs} blobs`);
  });

  it('catches a blob whose content was changed and re-gzipped (valid gzip)', async () => {
    const file = firstBlob();
    const data = gunzipSync(readFileSync(file));
    data[5] ^= 0x01;
    const gz = gzipSync(data);
    Buffer.from('1f8b08000000000000ff', 'hex').copy(gz, 0);
    overwrite(file, gz);
    const report = await verifyReadOnly();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ where: blobFiles(root)[0], message: expect.stringMatching(/content hashes to [0-9a-f]{64}, not to its name/) }]);
  });

  it('catches a flipped byte inside the compressed data (invalid gzip)', async () => {
    const file = firstBlob();
    const gz = readFileSync(file);
    gz[14] ^= 0x20;
    overwrite(file, gz);
    const report = await verifyReadOnly();
    expect(report.problems).toEqual([{ where: blobFiles(root)[0], message: expect.stringMatching(/damaged blob: (deflate data is corrupt|gzip CRC32)/) }]);
  });

  it.each([
    ['the MTIME field', 5],
    ['the OS byte', 9],
    ['the FTEXT flag', 3],
  ])('catches a change in %s, which gunzip ignores', async (_name, offset) => {
    const file = firstBlob();
    const gz = readFileSync(file);
    gz[offset] ^= 0x01;
    overwrite(file, gz);
    expect(gunzipSync(gz).length).toBeGreaterThan(0);
    const report = await verifyReadOnly();
    expect(report.problems).toEqual([{ where: blobFiles(root)[0], message: expect.stringMatching(/gzip header is/) }]);
  });

  it('catches bytes appended after the gzip trailer and a cut trailer', async () => {
    const files = blobFiles(root);
    overwrite(path.join(root, files[0]), Buffer.concat([readFileSync(path.join(root, files[0])), Buffer.from([0])]));
    const second = readFileSync(path.join(root, files[1]));
    overwrite(path.join(root, files[1]), second.subarray(0, second.length - 2));
    const report = await verifyReadOnly();
    expect(report.problems.map((p) => p.where)).toEqual([files[0], files[1]]);
    expect(report.problems[0].message).toMatch(/1 unexpected bytes after/);
  });

  it('catches a set padding bit after the end of the deflate stream, which gunzip ignores', async () => {
    // Find a blob whose last deflate byte has a padding bit free, and set it.
    for (const rel of blobFiles(root)) {
      const file = path.join(root, rel);
      const gz = readFileSync(file);
      const at = gz.length - 9;
      for (let bit = 7; bit >= 0; bit--) {
        if (gz[at] & (1 << bit)) break;
        const changed = Buffer.from(gz);
        changed[at] |= 1 << bit;
        let same = false;
        try {
          same = gunzipSync(changed).equals(gunzipSync(gz));
        } catch {
          same = false;
        }
        if (!same) continue;
        overwrite(file, changed);
        const report = await verifyReadOnly();
        expect(report.problems).toEqual([{ where: rel, message: expect.stringMatching(/non-zero padding bits/) }]);
        return;
      }
    }
    throw new Error('no blob in the test archive has padding bits to flip; change the fixture texts');
  });

  it('catches a flipped byte in a log line, naming file and line', async () => {
    const lines = readLines(log('fema-maria'));
    lines[2] = lines[2].replace('Service Unavailable', 'Service Unavailablf');
    writeLines(log('fema-maria'), lines);
    const report = await verifyReadOnly();
    expect(report.problems).toEqual([{ where: 'sources/fema-maria/log.jsonl line 3', message: expect.stringMatching(/line was altered/) }]);
    expect(report.summary).toMatch(/^archive DAMAGED: 1 problem\(s\).*first: sources\/fema-maria\/log\.jsonl line 3/);
  });

  it('catches a line whose hash was recomputed after an edit (the next link breaks)', async () => {
    const { canonicalJson, sha256Hex } = await import('../../src/store/index.js');
    const lines = readLines(log('fema-maria'));
    const e = JSON.parse(lines[1]) as Record<string, unknown>;
    e.status = 200;
    delete e.hash;
    lines[1] = canonicalJson({ ...e, hash: sha256Hex(canonicalJson(e)) });
    writeLines(log('fema-maria'), lines);
    const report = await verifyReadOnly();
    expect(report.problems).toEqual([
      { where: 'sources/fema-maria/log.jsonl line 3', message: expect.stringMatching(/prev is [0-9a-f]+, but line 2 has hash/) },
    ]);
  });

  it('catches a deleted line', async () => {
    const lines = readLines(log('govuk-e2ee'));
    lines.splice(2, 1);
    writeLines(log('govuk-e2ee'), lines);
    const report = await verifyReadOnly();
    expect(report.problems.map((p) => p.where)).toEqual(['sources/govuk-e2ee/log.jsonl line 3', 'sources/govuk-e2ee/log.jsonl line 3', 'sources/govuk-e2ee/log.jsonl']);
    expect(report.problems[0].message).toMatch(/seq 4 follows seq 2/);
    expect(report.problems[1].message).toMatch(/chain broken/);
    // heads.json still names seq 5, and the log now ends at 4.
    expect(report.problems[2].message).toMatch(/log has 4 lines but the heads signed at .* say seq 5/);
  });

  it('catches two swapped lines', async () => {
    const lines = readLines(log('five-eyes-2018'));
    [lines[1], lines[2]] = [lines[2], lines[1]];
    writeLines(log('five-eyes-2018'), lines);
    const report = await verifyReadOnly();
    const wheres = new Set(report.problems.map((p) => p.where));
    expect(wheres).toEqual(new Set(['sources/five-eyes-2018/log.jsonl line 2', 'sources/five-eyes-2018/log.jsonl line 3', 'sources/five-eyes-2018/log.jsonl line 4']));
    expect(report.problems[0].message).toMatch(/seq 3 follows seq 1/);
  });

  it('catches a log truncated mid-line (read-only verify) and records the repair (writer)', async () => {
    const bytes = readFileSync(log('fema-maria'));
    writeFileSync(log('fema-maria'), bytes.subarray(0, bytes.length - 40));
    const report = await verifyReadOnly();
    expect(report.problems[0]).toMatchObject({ where: 'sources/fema-maria/log.jsonl line 5', message: expect.stringMatching(/last line is torn/) });
    const writer = await openFsStore(root);
    const after = await writer.verify();
    await writer.close();
    expect(after.notes?.[0]).toMatchObject({ where: 'sources/fema-maria/log.jsonl', message: expect.stringMatching(/repaired on open/) });
    // The cut removed the signed head entry: the heads check still reports it.
    expect(after.problems).toEqual([{ where: 'sources/fema-maria/log.jsonl', message: expect.stringMatching(/log has 4 lines .* say seq 5.*truncated/) }]);
  });

  it('catches a log truncated at a line boundary through the recorded heads', async () => {
    const lines = readLines(log('fema-maria'));
    writeLines(log('fema-maria'), lines.slice(0, 3));
    const report = await verifyReadOnly();
    expect(report.problems).toEqual([{ where: 'sources/fema-maria/log.jsonl', message: expect.stringMatching(/log has 3 lines.*seq 5.*truncated/) }]);
    expect(report.notes?.some((n) => /referenced by no log entry/.test(n.message))).toBe(true);
  });

  it('catches a missing blob', async () => {
    const rel = blobFiles(root)[0];
    unlinkSync(path.join(root, rel));
    const report = await verifyReadOnly();
    const hash = rel.replace('objects/sha256/', '').replace('/', '');
    expect(report.problems.length).toBeGreaterThan(0);
    for (const p of report.problems) expect(p.message).toMatch(new RegExp(`${hash} refers to a blob that is not in the archive`));
    expect(report.blobs).toBe(built.blobs - 1);
  });

  it('reports every problem, and the summary names the first break', async () => {
    const lines = readLines(log('govuk-e2ee'));
    lines[3] = lines[3].replace('"changed"', '"chenged"');
    writeLines(log('govuk-e2ee'), lines);
    const lines2 = readLines(log('five-eyes-2018'));
    lines2[4] = lines2[4] + ' ';
    writeLines(log('five-eyes-2018'), lines2);
    overwrite(firstBlob(), 'garbage');
    const report = await verifyReadOnly();
    expect(report.problems.map((p) => p.where)).toEqual([
      'sources/five-eyes-2018/log.jsonl line 5',
      'sources/govuk-e2ee/log.jsonl line 4',
      blobFiles(root)[0],
    ]);
    expect(report.summary).toContain('3 problem(s)');
    expect(report.summary).toContain('first: sources/five-eyes-2018/log.jsonl line 5: bytes differ from the canonical JSON');
  });

  it('flags unexpected files and notes leftovers without failing', async () => {
    writeFileSync(path.join(root, 'objects/sha256', blobFiles(root)[0].split('/')[2], '.tmp-123-1-abcd'), 'partial');
    writeFileSync(path.join(root, 'sources/fema-maria/notes.txt'), 'x');
    const report = await verifyReadOnly();
    expect(report.problems).toEqual([{ where: 'sources/fema-maria/notes.txt', message: 'unexpected file in a source folder' }]);
    expect(report.notes?.some((n) => n.where.endsWith('.tmp-123-1-abcd'))).toBe(true);
  });
});
