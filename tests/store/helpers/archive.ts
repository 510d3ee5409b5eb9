import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckInput } from '../../../src/store/types.js';

/** A fresh empty folder under the OS temp dir; removed by the returned cleanup. */
export function tempDir(prefix = 'redline-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let clock = Date.parse('2024-01-01T00:00:00.000Z');

/** Check times that increase by one minute per call, so lastSeen ordering is visible. */
export function nextTime(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

export function check(outcome: CheckInput['outcome'], extra: Partial<CheckInput> = {}): CheckInput {
  return { time: nextTime(), url: 'https://www.gov.example/statement', status: 200, outcome, ...extra };
}

/** Blob files are written read-only (0444); tests that tamper must make them writable first. */
export function overwrite(file: string, data: Buffer | string): void {
  chmodSync(file, 0o644);
  writeFileSync(file, data);
}

/** Every file under `root`, archive-relative with forward slashes, sorted. */
export function listFiles(root: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, sub)).sort()) {
    const rel = sub ? `${sub}/${name}` : name;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out;
}

export function blobFiles(root: string): string[] {
  return listFiles(root).filter((f) => f.startsWith('objects/sha256/'));
}

export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

export function writeLines(file: string, lines: string[]): void {
  writeFileSync(file, lines.map((l) => l + '\n').join(''));
}

/**
 * A small archive as the service leaves it: three sources with new/unchanged/failed/changed
 * checks, six blobs (texts and raw pages), heads signed. Closed on return.
 */
export async function buildSmallArchive(root: string): Promise<{ publicKeyPem: string; privateKeyPem: string; entries: number; blobs: number }> {
  const { openFsStore, generateSigningKeys } = await import('../../../src/store/index.js');
  const keys = generateSigningKeys();
  const store = await openFsStore(root);
  let entries = 0;
  let blobs = 0;
  for (const id of ['five-eyes-2018', 'fema-maria', 'govuk-e2ee']) {
    const texts: string[] = [];
    const raws: string[] = [];
    for (let v = 1; v <= 2; v++) {
      const text = `${id} statement, version ${v}. We call on technology companies to work with governments.`;
      texts.push(await store.putBlob(Buffer.from(text)));
      raws.push(await store.putBlob(Buffer.from(`<html><body><p>${text}</p></body></html>`)));
      blobs += 2;
    }
    const steps: CheckInput[] = [
      check('new', { textHash: texts[0], rawHash: raws[0], etag: '"a1"' }),
      check('unchanged', { textHash: texts[0], rawHash: raws[0], version: 1, status: 304 }),
      check('failed', { status: 503, error: { code: 'HTTP_503', message: 'Service Unavailable' }, version: 1 }),
      check('changed', { textHash: texts[1], rawHash: raws[1], meta: { title: `Statement ${id}`, quality: 0.75 } }),
      check('unchanged', { textHash: texts[1], rawHash: raws[1], version: 2 }),
    ];
    for (const s of steps) await store.append(id, s);
    entries += steps.length;
  }
  await store.signHeads(keys.privateKeyPem);
  await store.close();
  return { ...keys, entries, blobs };
}
