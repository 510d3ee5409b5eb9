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
