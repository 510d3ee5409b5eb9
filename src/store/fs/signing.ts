import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { SignedHeads, VerifyProblem } from '../types.js';
import { writeFileAtomic } from './durable.js';
import { abs, HEADS_FILE, HEADS_FORMAT, HEADS_SIG_FILE, HASH_RE, SOURCE_ID_RE, StoreError } from './layout.js';

/**
 * Signed heads (issue 6): heads.json lists each log's last seq and hash; heads.sig is an
 * Ed25519 signature over heads.json's exact bytes. A hash chain alone cannot show that a
 * log lost its last entries, or was rewritten and re-chained from some point on; a
 * signature over the heads, by a key the tamperer does not hold, can.
 */

export interface SigningKeys {
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generateSigningKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** First 16 hex chars of sha256 over the public key's SPKI DER: tells keys apart in messages. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(pub.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

export async function writeSignedHeads(
  root: string,
  heads: Record<string, { seq: number; hash: string }>,
  privateKeyPem: string,
): Promise<SignedHeads> {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (err) {
    throw new StoreError('E_INPUT', `signHeads: the private key is not a readable PEM key (${(err as Error).message}); create one with generateSigningKeys()`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new StoreError('E_INPUT', `signHeads: the key is ${key.asymmetricKeyType ?? 'unknown'}, but heads are signed with Ed25519; create one with generateSigningKeys()`);
  }
  const doc: SignedHeads = { format: HEADS_FORMAT, time: new Date().toISOString(), keyId: keyIdOf(key), heads };
  const bytes = Buffer.from(canonicalJson(doc) + '\n', 'utf8');
  const signature = sign(null, bytes, key).toString('base64') + '\n';
  // Between these two renames heads.sig still signs the old heads.json; a crash there
  // makes verify report a bad signature until the next signHeads. Order cannot avoid it.
  await writeFileAtomic(abs(root, HEADS_FILE), bytes);
  await writeFileAtomic(abs(root, HEADS_SIG_FILE), signature);
  return doc;
}

export interface HeadsCheckInput {
  root: string;
  publicKeyPem?: string;
  /** For each source on disk: the stored hash of each line (index = line - 1), undefined where unreadable. */
  lineHashes: Map<string, (string | undefined)[]>;
}

export async function checkHeads(input: HeadsCheckInput): Promise<{ problems: VerifyProblem[]; notes: VerifyProblem[] }> {
  const problems: VerifyProblem[] = [];
  const notes: VerifyProblem[] = [];
  const bytes = await fsp.readFile(abs(input.root, HEADS_FILE)).catch(() => undefined);
  const sigText = await fsp.readFile(abs(input.root, HEADS_SIG_FILE), 'utf8').catch(() => undefined);
  if (!bytes) {
    if (input.publicKeyPem) {
      problems.push({ where: HEADS_FILE, message: 'a public key was given but the archive has no heads.json: nothing was signed, or it was deleted' });
    }
    return { problems, notes };
  }
  if (input.publicKeyPem) {
    const bad = checkSignature(bytes, sigText, input.publicKeyPem);
    if (bad) problems.push({ where: HEADS_SIG_FILE, message: bad });
  } else {
    notes.push({ where: HEADS_SIG_FILE, message: 'signature not checked: no public key given' });
  }
  let doc: SignedHeads;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as SignedHeads;
    if (doc.format !== HEADS_FORMAT || typeof doc.heads !== 'object' || doc.heads === null) throw new Error(`format is not "${HEADS_FORMAT}"`);
  } catch (err) {
    problems.push({ where: HEADS_FILE, message: `unreadable: ${(err as Error).message}` });
    return { problems, notes };
  }
  for (const [source, head] of Object.entries(doc.heads)) {
    const where = `${HEADS_FILE} source "${source}"`;
    if (!SOURCE_ID_RE.test(source) || !Number.isSafeInteger(head?.seq) || head.seq < 1 || !HASH_RE.test(String(head?.hash))) {
      problems.push({ where, message: 'malformed head record' });
      continue;
    }
    const lines = input.lineHashes.get(source);
    if (!lines) {
      problems.push({ where, message: `signed head is seq ${head.seq}, but the archive has no log for this source (deleted)` });
    } else if (lines.length < head.seq) {
      problems.push({
        where: `sources/${source}/log.jsonl`,
        message: `log has ${lines.length} lines but the heads signed at ${doc.time} say seq ${head.seq}: entries were removed from the end (truncated)`,
      });
    } else if (lines[head.seq - 1] !== head.hash) {
      problems.push({
        where: `sources/${source}/log.jsonl line ${head.seq}`,
        message: `entry hash is ${lines[head.seq - 1] ?? 'unreadable'}, but the heads signed at ${doc.time} say ${head.hash}: the log was rewritten at or below the signed head`,
      });
    }
  }
  return { problems, notes };
}

/** Returns why the signature is not good, or undefined if it is. */
function checkSignature(bytes: Buffer, sigText: string | undefined, publicKeyPem: string): string | undefined {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch (err) {
    return `the public key given is not a readable PEM key (${(err as Error).message})`;
  }
  if (key.asymmetricKeyType !== 'ed25519') return `the public key given is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`;
  if (sigText === undefined) return 'heads.json exists but heads.sig is missing';
  // Exact form only (88 base64 chars and one newline), so that no byte of heads.sig can change unnoticed.
  if (!/^[A-Za-z0-9+/]{86}==\n$/.test(sigText)) return 'heads.sig is not one line of base64 (an Ed25519 signature, 64 bytes) followed by a newline';
  const sig = Buffer.from(sigText, 'base64');
  if (sig.toString('base64') + '\n' !== sigText) return 'heads.sig is not canonical base64';
  if (verify(null, bytes, key, sig)) return undefined;
  let signer = '';
  try {
    const claimed = (JSON.parse(bytes.toString('utf8')) as { keyId?: unknown }).keyId;
    if (typeof claimed === 'string' && claimed !== keyIdOf(key)) signer = ` (heads.json names key ${claimed}; the key given is ${keyIdOf(key)})`;
  } catch {
    // Unreadable heads.json is reported separately.
  }
  return `signature does not match heads.json: heads.json or heads.sig was altered, or signed with another key${signer}`;
}
