/** The archive: content-addressed blobs plus one hash-chained log of checks per source. */

/** One check of one source, success or failure, as appended to the source's log. */
export interface CheckInput {
  /** ISO 8601 UTC. */
  time: string;
  url: string;
  finalUrl?: string;
  status?: number;
  etag?: string;
  lastModified?: string;
  /** sha256 hex of the raw (decompressed) response body blob. */
  rawHash?: string;
  /** sha256 hex of the extracted-text blob. */
  textHash?: string;
  contentType?: string;
  /** 'new' = first version, 'changed' = new version, 'unchanged', 'failed'. */
  outcome: 'new' | 'changed' | 'unchanged' | 'failed';
  /** Version number this check produced or confirmed (1-based); absent on failure before any version. */
  version?: number;
  error?: { code: string; message: string };
  /** Repairs applied during decoding/extraction, kept with the version. */
  repairs?: string[];
  /** Anything else a stage wants kept with the check (declared dates, redirects …). */
  meta?: Record<string, unknown>;
}

export interface CheckEntry extends CheckInput {
  source: string;
  /** 1-based position in the source's log. */
  seq: number;
  /** Hash of the previous entry's line ("" for the first). */
  prev: string;
  /** sha256 hex of this entry's canonical JSON without the `hash` field. */
  hash: string;
}

export interface VersionInfo {
  source: string;
  version: number;
  /** Time of the check that first stored this text. */
  time: string;
  /** Time of the last check that confirmed this text (or the first, if none). */
  lastSeen: string;
  textHash: string;
  rawHash?: string;
  seq: number;
}

export interface VerifyProblem {
  /** e.g. "snapshots/log/fema-maria.jsonl line 7" or "objects/sha256/ab/cd…". */
  where: string;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  sources: number;
  entries: number;
  blobs: number;
  problems: VerifyProblem[];
  /** One line for people: "archive OK …" or the count of problems and the FIRST break. */
  summary?: string;
  /** Things worth knowing that are not damage: repairs done after a crash, leftover temp files, unreferenced blobs. */
  notes?: VerifyProblem[];
}

export interface VerifyOptions {
  /** Ed25519 public key (PEM) to check heads.sig against; without it only heads.json's consistency is checked. */
  publicKeyPem?: string;
}

/** A torn last log line cut off (and kept aside) when a source's log was first touched. */
export interface RepairNote {
  source: string;
  /** Archive-relative path of the log that was truncated. */
  file: string;
  /** Byte offset the log was truncated to. */
  offset: number;
  /** Number of bytes cut. */
  bytes: number;
  /** Archive-relative path where the cut bytes are kept. */
  keptIn: string;
  reason: 'no trailing newline' | 'unparsable last line';
  time: string;
}

/** What signHeads wrote: heads.json content (parsed) plus where. */
export interface SignedHeads {
  format: string;
  time: string;
  /** First 16 hex chars of sha256 over the signer's public key (SPKI DER), to tell keys apart. */
  keyId: string;
  heads: Record<string, { seq: number; hash: string }>;
}

export interface Store {
  readonly root: string;
  putBlob(data: Buffer): Promise<string>;
  getBlob(hash: string): Promise<Buffer>;
  hasBlob(hash: string): Promise<boolean>;
  append(source: string, check: CheckInput): Promise<CheckEntry>;
  /** Every entry of the source's log, oldest first. */
  log(source: string): Promise<CheckEntry[]>;
  /** The last entry (O(1): no log scan). */
  head(source: string): Promise<CheckEntry | undefined>;
  versions(source: string): Promise<VersionInfo[]>;
  sources(): Promise<string[]>;
  verify(): Promise<VerifyReport>;
  /**
   * Drop what is cached in memory for this source, if nothing is in flight on it; the next use
   * reads it from the archive again. For one pass over many sources, each touched once.
   */
  release?(source: string): void;
  /**
   * A derived per-source cache kept beside the log (FORMAT.md: state.json). Not evidence: the
   * caller must check it against the log before trusting it. Undefined if absent or unreadable.
   */
  readState?(source: string): Promise<unknown>;
  writeState?(source: string, value: unknown): Promise<void>;
}
