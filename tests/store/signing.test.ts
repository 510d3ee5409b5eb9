import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, generateSigningKeys, openFsStore, sha256Hex } from '../../src/store/index.js';
import { buildSmallArchive, check, readLines, tempDir, writeLines } from './helpers/archive.js';
import { formatDocBlock } from './helpers/docs.js';

describe('signed heads', () => {
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

  const verify = async (publicKeyPem?: string) => (await openFsStore(root, { readOnly: true })).verify({ publicKeyPem });
  const logFile = path.join('sources', 'fema-maria', 'log.jsonl');

  it('writes heads.json with every head and a valid signature', async () => {
    const heads = JSON.parse(readFileSync(path.join(root, 'heads.json'), 'utf8')) as { heads: Record<string, { seq: number; hash: string }>; format: string };
    expect(heads.format).toBe('redline-heads 1');
    expect(Object.keys(heads.heads)).toEqual(['fema-maria', 'five-eyes-2018', 'govuk-e2ee']);
    const last = readLines(path.join(root, logFile)).at(-1)!;
    expect(heads.heads['fema-maria']).toEqual({ seq: 5, hash: (JSON.parse(last) as { hash: string }).hash });
    expect(await verify(built.publicKeyPem)).toMatchObject({ ok: true, problems: [] });
  });

  it('can be checked with openssl as FORMAT.md says', () => {
    const keyFile = path.join(base, 'pub.pem');
    writeFileSync(keyFile, built.publicKeyPem);
    const script = formatDocBlock('check-signature.sh').replaceAll('/tmp/heads.sig.bin', path.join(base, 'sig.bin'));
    const ok = spawnSync('sh', ['-c', script], { cwd: root, env: { ...process.env, PUBLIC_KEY: keyFile } });
    expect(ok.stdout.toString()).toMatch(/Signature Verified Successfully/);
    expect(ok.status).toBe(0);
    writeFileSync(path.join(root, 'heads.json'), readFileSync(path.join(root, 'heads.json'), 'utf8').replace('"seq":5', '"seq":4'));
    const bad = spawnSync('sh', ['-c', script], { cwd: root, env: { ...process.env, PUBLIC_KEY: keyFile } });
    expect(bad.status).not.toBe(0);
  });

  it('rejects another key, naming both key ids', async () => {
    const other = generateSigningKeys();
    const report = await verify(other.publicKeyPem);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ where: 'heads.sig', message: expect.stringMatching(/signature does not match.*names key [0-9a-f]{16}; the key given is [0-9a-f]{16}/) }]);
  });

  it('rejects edited heads, an edited signature, and missing files', async () => {
    const headsFile = path.join(root, 'heads.json');
    const original = readFileSync(headsFile);
    writeFileSync(headsFile, original.toString().replace(/"time":"[^"]+"/, '"time":"2031-01-01T00:00:00.000Z"'));
    expect((await verify(built.publicKeyPem)).problems).toEqual([{ where: 'heads.sig', message: expect.stringMatching(/signature does not match heads.json/) }]);
    writeFileSync(headsFile, original);
    const sigFile = path.join(root, 'heads.sig');
    const sig = readFileSync(sigFile, 'utf8');
    writeFileSync(sigFile, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    expect((await verify(built.publicKeyPem)).problems[0]).toMatchObject({ where: 'heads.sig' });
    writeFileSync(sigFile, sig.trimEnd() + '\r\n');
    expect((await verify(built.publicKeyPem)).problems[0]).toMatchObject({ where: 'heads.sig', message: expect.stringMatching(/not one line of base64/) });
    unlinkSync(sigFile);
    expect((await verify(built.publicKeyPem)).problems[0]).toMatchObject({ where: 'heads.sig', message: expect.stringMatching(/heads.sig is missing/) });
    unlinkSync(headsFile);
    expect((await verify(built.publicKeyPem)).problems[0]).toMatchObject({ where: 'heads.json', message: expect.stringMatching(/no heads.json/) });
  });

  it('catches a log truncated and re-chained below the signed head, even with a valid chain', async () => {
    // The tamperer drops the failed check (line 3) and rebuilds every later line so the chain is valid again.
    const lines = readLines(path.join(root, logFile)).map((l) => JSON.parse(l) as Record<string, unknown>);
    const kept = [lines[0], lines[1], lines[3], lines[4]];
    let prev = '';
    const rebuilt = kept.map((entry, i) => {
      const { hash: _old, ...rest } = entry;
      const body = { ...rest, seq: i + 1, prev };
      const hash = sha256Hex(canonicalJson(body));
      prev = hash;
      return canonicalJson({ ...body, hash });
    });
    writeLines(path.join(root, logFile), rebuilt);
    const unsigned = await verify();
    // The chain itself is intact: no line-level problem, only the heads comparison can tell.
    expect(unsigned.problems.map((p) => p.where)).toEqual(['sources/fema-maria/log.jsonl']);
    const report = await verify(built.publicKeyPem);
    expect(report.problems).toEqual([{ where: 'sources/fema-maria/log.jsonl', message: expect.stringMatching(/log has 4 lines but the heads signed at .* say seq 5/) }]);

    // Same, plus a fake fifth entry to reach the signed seq: the hash at seq 5 differs.
    const { hash: _h, ...last } = JSON.parse(rebuilt[3]) as Record<string, unknown>;
    const fifth = { ...last, seq: 5, prev: (JSON.parse(rebuilt[3]) as { hash: string }).hash, time: '2024-12-31T00:00:00.000Z' };
    writeLines(path.join(root, logFile), [...rebuilt, canonicalJson({ ...fifth, hash: sha256Hex(canonicalJson(fifth)) })]);
    const again = await verify(built.publicKeyPem);
    expect(again.problems).toEqual([{ where: 'sources/fema-maria/log.jsonl line 5', message: expect.stringMatching(/the log was rewritten at or below the signed head/) }]);

    // And if the tamperer re-signs the new heads with their own key, the signature fails.
    const writer = await openFsStore(root);
    await writer.signHeads(generateSigningKeys().privateKeyPem);
    await writer.close();
    expect((await verify(built.publicKeyPem)).problems).toEqual([{ where: 'heads.sig', message: expect.stringMatching(/signature does not match/) }]);
  });

  it('re-signs after more checks; a deleted log is caught', async () => {
    const writer = await openFsStore(root);
    const head = await writer.head('fema-maria');
    await writer.append('fema-maria', check('unchanged', { textHash: head!.textHash, version: 2 }));
    await writer.append('new-source', check('failed', { error: { code: 'ENOTFOUND', message: 'no such host' } }));
    // Until re-signed, the signed heads are still consistent: new entries are above them.
    expect((await writer.verify({ publicKeyPem: built.publicKeyPem })).ok).toBe(true);
    const signed = await writer.signHeads(built.privateKeyPem);
    expect(signed.heads['fema-maria'].seq).toBe(6);
    expect(signed.heads['new-source'].seq).toBe(1);
    await writer.close();
    expect((await verify(built.publicKeyPem)).ok).toBe(true);
    rmSync(path.join(root, 'sources', 'new-source'), { recursive: true });
    expect((await verify(built.publicKeyPem)).problems).toEqual([{ where: 'heads.json source "new-source"', message: expect.stringMatching(/no log for this source/) }]);
  });

  it('refuses a key that is not an Ed25519 private key, and signing read-only', async () => {
    const writer = await openFsStore(root);
    await expect(writer.signHeads('not a key')).rejects.toMatchObject({ code: 'E_INPUT', message: expect.stringMatching(/not a readable PEM key/) });
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(writer.signHeads(rsa)).rejects.toMatchObject({ code: 'E_INPUT', message: expect.stringMatching(/key is rsa/) });
    await expect(writer.signHeads(built.publicKeyPem)).rejects.toMatchObject({ code: 'E_INPUT' });
    await writer.close();
    const reader = await openFsStore(root, { readOnly: true });
    await expect(reader.signHeads(built.privateKeyPem)).rejects.toMatchObject({ code: 'E_READONLY' });
  });
});

describe('FORMAT.md recipes', () => {
  let root: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir: root, cleanup } = tempDir());
    await buildSmallArchive(root);
  });
  afterAll(() => cleanup());

  it('the documented Python and shell checks pass an intact archive and fail a damaged one', () => {
    const py = formatDocBlock('check-logs.py');
    const sh = formatDocBlock('check-blobs.sh');
    expect(execFileSync('python3', ['-', root], { input: py }).toString()).toBe('archive OK\n');
    expect(spawnSync('sh', ['-c', sh], { cwd: root }).status).toBe(0);
    const file = path.join(root, 'sources', 'govuk-e2ee', 'log.jsonl');
    const lines = readLines(file);
    writeLines(file, [lines[0], lines[2], lines[1], ...lines.slice(3)]);
    const res = spawnSync('python3', ['-', root], { input: py });
    expect(res.status).toBe(1);
    expect(res.stdout.toString()).toMatch(/sources\/govuk-e2ee\/log.jsonl line 2: chain broken/);
    const blob = execFileSync('sh', ['-c', 'ls objects/sha256/*/* | head -1'], { cwd: root }).toString().trim();
    chmodSync(path.join(root, blob), 0o644);
    writeFileSync(path.join(root, blob), execFileSync('gzip', ['-c'], { input: 'forged' }));
    const blobs = spawnSync('sh', ['-c', sh], { cwd: root });
    expect(blobs.status).toBe(1);
    expect(blobs.stdout.toString()).toContain(`BAD ${blob.replace('objects/sha256/', '')}`);
  });
});
