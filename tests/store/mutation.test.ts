import { chmodSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFsStore } from '../../src/store/index.js';
import { buildSmallArchive, listFiles, tempDir } from './helpers/archive.js';
import { prng as rng } from '../helpers/prng.js';

/**
 * Random damage to a small signed archive, one mutation at a time, each undone before the
 * next: every single one must be reported by a read-only verify (or refused at open, for
 * FORMAT). Seeded, so a failure is reproducible from the printed seed and index.
 */
const SEED = 0x5eed2024;
const ROUNDS = 500;


type Files = Map<string, Buffer>;
interface Mutation {
  kind: string;
  describe: string;
  /** New contents for changed files; undefined = delete the file. */
  changes: Map<string, Buffer | undefined>;
}

function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    out.push(buf.subarray(start, nl + 1));
    start = nl + 1;
  }
  return out;
}

function mutate(files: Files, rand: () => number): Mutation | undefined {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const names = [...files.keys()];
  const logs = names.filter((n) => n.endsWith('log.jsonl'));
  const blobs = names.filter((n) => n.startsWith('objects/'));
  const kinds = ['replace byte', 'delete byte', 'insert byte', 'swap bytes', 'truncate', 'swap lines', 'delete line', 'duplicate line', 'swap blob contents', 'delete file'];
  const kind = pick(kinds);
  const name = pick(kind.includes('line') ? logs : kind === 'swap blob contents' ? blobs : names);
  const data = files.get(name)!;
  const changes = new Map<string, Buffer | undefined>();
  const at = Math.floor(rand() * data.length);
  switch (kind) {
    case 'replace byte': {
      const b = Buffer.from(data);
      b[at] = (b[at] + 1 + Math.floor(rand() * 255)) % 256;
      changes.set(name, b);
      return { kind, describe: `${name} byte ${at}: ${data[at]} -> ${b[at]}`, changes };
    }
    case 'delete byte':
      changes.set(name, Buffer.concat([data.subarray(0, at), data.subarray(at + 1)]));
      return { kind, describe: `${name} delete byte ${at}`, changes };
    case 'insert byte': {
      const pos = Math.floor(rand() * (data.length + 1));
      changes.set(name, Buffer.concat([data.subarray(0, pos), Buffer.from([Math.floor(rand() * 256)]), data.subarray(pos)]));
      return { kind, describe: `${name} insert at ${pos}`, changes };
    }
    case 'swap bytes': {
      const other = Math.floor(rand() * data.length);
      if (data[at] === data[other]) return undefined;
      const b = Buffer.from(data);
      [b[at], b[other]] = [b[other], b[at]];
      changes.set(name, b);
      return { kind, describe: `${name} swap bytes ${at} and ${other}`, changes };
    }
    case 'truncate':
      changes.set(name, data.subarray(0, at));
      return { kind, describe: `${name} truncate to ${at} of ${data.length}`, changes };
    case 'swap lines': {
      const lines = splitLines(data);
      const i = Math.floor(rand() * lines.length);
      const j = Math.floor(rand() * lines.length);
      if (i === j) return undefined;
      [lines[i], lines[j]] = [lines[j], lines[i]];
      changes.set(name, Buffer.concat(lines));
      return { kind, describe: `${name} swap lines ${i + 1} and ${j + 1}`, changes };
    }
    case 'delete line': {
      const lines = splitLines(data);
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 1);
      changes.set(name, Buffer.concat(lines));
      return { kind, describe: `${name} delete line ${i + 1}`, changes };
    }
    case 'duplicate line': {
      const lines = splitLines(data);
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 0, lines[i]);
      changes.set(name, Buffer.concat(lines));
      return { kind, describe: `${name} duplicate line ${i + 1}`, changes };
    }
    case 'swap blob contents': {
      const other = pick(blobs);
      if (other === name) return undefined;
      changes.set(name, files.get(other));
      changes.set(other, data);
      return { kind, describe: `swap contents of ${name} and ${other}`, changes };
    }
    default:
      changes.set(name, undefined);
      return { kind, describe: `delete ${name}`, changes };
  }
}

function put(root: string, rel: string, data: Buffer | undefined): void {
  const file = path.join(root, rel);
  try {
    chmodSync(file, 0o644);
  } catch {
    // Absent: it is being recreated.
  }
  if (data === undefined) {
    unlinkSync(file);
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

async function detected(root: string, publicKeyPem: string): Promise<boolean> {
  let store;
  try {
    store = await openFsStore(root, { readOnly: true });
  } catch {
    return true;
  }
  return !(await store.verify({ publicKeyPem })).ok;
}

describe('randomised tampering', () => {
  let root: string;
  let cleanup: () => void;
  let publicKeyPem: string;
  let files: Files;

  beforeAll(async () => {
    ({ dir: root, cleanup } = tempDir());
    ({ publicKeyPem } = await buildSmallArchive(root));
    files = new Map(listFiles(root).map((f) => [f, readFileSync(path.join(root, f))]));
  });
  afterAll(() => cleanup());

  it(`detects every one of ${ROUNDS} random mutations of blobs, logs and signed heads`, async () => {
    expect(await detected(root, publicKeyPem)).toBe(false);
    const rand = rng(SEED);
    const counts = new Map<string, { tried: number; caught: number }>();
    const missed: string[] = [];
    let done = 0;
    while (done < ROUNDS) {
      const m = mutate(files, rand);
      if (!m) continue;
      done += 1;
      for (const [rel, data] of m.changes) put(root, rel, data);
      const caught = await detected(root, publicKeyPem);
      for (const rel of m.changes.keys()) put(root, rel, files.get(rel));
      const c = counts.get(m.kind) ?? { tried: 0, caught: 0 };
      c.tried += 1;
      if (caught) c.caught += 1;
      else missed.push(`#${done} (seed ${SEED}): ${m.describe}`);
      counts.set(m.kind, c);
    }
    const table = [...counts].map(([k, c]) => `${k}: ${c.caught}/${c.tried}`).join(', ');
    console.log(`mutations detected: ${ROUNDS - missed.length}/${ROUNDS} (${table}); archive: ${files.size} files`);
    expect(missed).toEqual([]);
    // The archive is back to its pristine state after the last undo.
    expect(await detected(root, publicKeyPem)).toBe(false);
  });
});
