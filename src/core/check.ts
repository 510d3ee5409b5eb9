/**
 * One check of one source: fetch → extract → store → diff → judge → outbox.
 * The log entry is appended before any alert is queued, and the events it
 * raised are written into that entry, so a crash between the two is repaired
 * by re-deriving the alerts from the log (see `reconcile`).
 */
import type { SourceConfig } from '../config/types.js';
import type { FetchFailure, FetchSuccess } from '../fetch/types.js';
import type { CheckEntry, CheckInput } from '../store/types.js';
import type { DeclaredDates, Extracted } from '../extract/types.js';
import { detectSilentEdit } from '../analyze/index.js';
import type { Alert, FailureInfo } from '../alert/types.js';
import { extractForCheck } from './extract-step.js';
import { alertsFor } from './alerts.js';
import { decideEvents, type CheckPolicy } from './events.js';
import type { CheckContext } from './context.js';
import { entryAt, eventsOf, findBack, type SourceState } from './state.js';
import { sha256Hex } from '../store/index.js';

export type CheckOutcomeKind = 'new' | 'changed' | 'unchanged' | 'failed';

export interface CheckOutcome {
  source: string;
  outcome: CheckOutcomeKind;
  entry: CheckEntry;
  version?: number;
  wordsAdded?: number;
  wordsRemoved?: number;
  error?: { code: string; message: string };
  events: string[];
  alerts: Alert[];
}

export interface CheckRunOptions {
  /** Abandons the fetch (time limit, shutdown); the check is then recorded as failed. */
  signal?: AbortSignal;
}

export async function checkSource(ctx: CheckContext, source: SourceConfig, run: CheckRunOptions = {}): Promise<CheckOutcome> {
  const state = await ctx.states.get(source.id);
  await reconcile(ctx, source, state);
  const time = new Date(ctx.now()).toISOString();
  const fetched = await ctx.fetcher.fetch({
    url: source.url,
    headers: source.headers,
    etag: state.etag,
    lastModified: state.lastModified,
    options: source.fetch,
    ignoreRobots: source.ignoreRobots !== undefined,
    signal: run.signal,
  });
  if (!fetched.ok) return recordFailure(ctx, source, state, time, failureFromFetch(fetched));
  if (fetched.notModified) {
    if (!state.current) {
      return recordFailure(ctx, source, state, time, {
        url: fetched.url, finalUrl: fetched.finalUrl, status: fetched.status,
        code: 'http', message: `${fetched.url} answered 304 Not Modified but Redline holds no version yet`,
      });
    }
    return recordUnchanged(ctx, source, state, time, fetched, state.current.rawHash);
  }
  const step = await extractForCheck(source, fetched);
  if (!step.ok) return recordFailure(ctx, source, state, time, step.failure);
  const text = Buffer.from(step.extracted.text, 'utf8');
  const textHash = sha256Hex(text);
  if (state.current && state.current.textHash === textHash) {
    const rawHash = sha256Hex(fetched.body);
    return recordUnchanged(ctx, source, state, time, fetched, rawHash, step.extracted);
  }
  return recordVersion(ctx, source, state, time, fetched, step.extracted, text);
}

interface Failure {
  url: string;
  finalUrl?: string;
  status?: number;
  code: string;
  message: string;
  meta?: Record<string, unknown>;
}

function failureFromFetch(f: FetchFailure): Failure {
  return {
    url: f.url, finalUrl: f.finalUrl, status: f.status, code: f.code, message: f.message,
    meta: f.redirects.length ? { redirects: f.redirects } : undefined,
  };
}

function validators(f: FetchSuccess): Pick<CheckInput, 'etag' | 'lastModified'> {
  return { etag: f.etag, lastModified: f.lastModified };
}

async function recordFailure(ctx: CheckContext, source: SourceConfig, state: SourceState, time: string, f: Failure): Promise<CheckOutcome> {
  const input: CheckInput = {
    time, url: f.url, finalUrl: f.finalUrl, status: f.status, outcome: 'failed',
    version: state.current?.version, error: { code: f.code, message: f.message }, meta: f.meta,
  };
  return finish(ctx, source, state, input, undefined);
}

async function recordUnchanged(
  ctx: CheckContext, source: SourceConfig, state: SourceState, time: string, f: FetchSuccess, rawHash: string | undefined,
  extracted?: Extracted,
): Promise<CheckOutcome> {
  const current = state.current!;
  const sameRaw = rawHash === current.rawHash;
  const declared = declaredUpdate(state, f, extracted);
  const input: CheckInput = {
    time, url: f.url, finalUrl: f.finalUrl, status: f.status, ...validators(f),
    contentType: f.contentType, outcome: 'unchanged', version: current.version, textHash: current.textHash,
    // Only blobs that exist may be named in rawHash; a different page around the same
    // statement is kept as a digest, as evidence of what was served, without storing it.
    rawHash: sameRaw ? rawHash : undefined,
    meta: sameRaw || !rawHash ? declared : { rawDigest: rawHash, ...declared },
  };
  return finish(ctx, source, state, input, undefined);
}

/**
 * The page says it was updated (new "Last updated" date or change note) but the statement
 * is word for word the same: worth a line in the log, and the declarations are kept so the
 * same announcement is not flagged again at the next check.
 */
function declaredUpdate(state: SourceState, f: FetchSuccess, extracted?: Extracted): Record<string, unknown> | undefined {
  if (!extracted?.declared) return undefined;
  const prevDeclared = (state.declared ?? state.current?.declared) as DeclaredDates | undefined;
  if (JSON.stringify(prevDeclared) === JSON.stringify(extracted.declared)) return undefined;
  const verdict = detectSilentEdit({
    prev: { declared: prevDeclared, lastModified: state.lastModified },
    cur: { declared: extracted.declared, lastModified: f.lastModified },
    textChanged: false,
  });
  return { declared: extracted.declared, ...(verdict.kind ? { declaredUpdate: verdict.message } : {}) };
}

async function recordVersion(
  ctx: CheckContext, source: SourceConfig, state: SourceState, time: string,
  f: FetchSuccess, extracted: Extracted, text: Buffer,
): Promise<CheckOutcome> {
  const rawHash = await ctx.store.putBlob(f.body);
  const textHash = await ctx.store.putBlob(text);
  const version = (state.current?.version ?? 0) + 1;
  const input: CheckInput = {
    time, url: f.url, finalUrl: f.finalUrl, status: f.status, ...validators(f), contentType: f.contentType,
    rawHash, textHash, outcome: state.current ? 'changed' : 'new', version,
    repairs: extracted.repairs.length ? extracted.repairs : undefined,
    meta: {
      kind: extracted.kind,
      method: extracted.method,
      ...(extracted.title ? { title: extracted.title } : {}),
      ...(extracted.charset ? { charset: extracted.charset } : {}),
      ...(extracted.declared ? { declared: extracted.declared } : {}),
      ...(extracted.links.length ? { links: extracted.links } : {}),
      ...(f.redirects.length ? { redirects: f.redirects } : {}),
    },
  };
  return finish(ctx, source, state, input, extracted.text);
}

async function finish(
  ctx: CheckContext, source: SourceConfig, state: SourceState, input: CheckInput, newText: string | undefined,
): Promise<CheckOutcome> {
  const events = decideEvents(state, input, policyFor(ctx, source), ctx.now());
  if (events.length) input.meta = { ...input.meta, events };
  const previous = events.includes('changed') && state.current ? await entryAt(ctx.store, source.id, state.current.seq) : undefined;
  const entry = await ctx.store.append(source.id, input);
  await ctx.states.record(source.id, state, entry);
  // Silent edits are judged against what the page declared at the last check, not at the last version.
  const lastDeclared = state.declared !== undefined ? { declared: state.declared as DeclaredDates, lastModified: state.lastModified } : undefined;
  const built = await alertsFor(ctx, source, entry, previous, newText, failureInfo(state, entry), lastDeclared);
  for (const alert of built.alerts) await ctx.sink?.enqueue(alert);
  return {
    source: source.id,
    outcome: entry.outcome,
    entry,
    version: entry.version,
    wordsAdded: built.report?.stats.wordsAdded,
    wordsRemoved: built.report?.stats.wordsRemoved,
    error: entry.error,
    events,
    alerts: built.alerts,
  };
}

/** The watch list's policy for this source (removal_confirmations …), under any the caller fixed. */
export function policyFor(ctx: Pick<CheckContext, 'policy' | 'policyOverride'>, source: SourceConfig): CheckPolicy {
  return { ...ctx.policy, ...source.policy, ...ctx.policyOverride };
}

/** The run of failures an event is about, from the state before the entry. */
function failureInfo(before: SourceState, entry: CheckEntry): FailureInfo | undefined {
  if (entry.outcome === 'failed') {
    const removed = eventsOf(entry).includes('removed');
    const checks = (removed ? before.goneStreak : before.failStreak) + 1;
    const since = (removed ? before.goneSince : before.failSince) ?? entry.time;
    return { checks, since, status: entry.status, error: entry.error?.message };
  }
  if (before.failStreak === 0 || !before.failSince) return undefined;
  return { checks: before.failStreak, since: before.failSince };
}

/**
 * After a crash between "entry appended" and "alert queued", the newest
 * entry's events have no alert yet. Enqueueing is idempotent by key, so
 * re-deriving them on first touch is safe and loses nothing.
 */
async function reconcile(ctx: CheckContext, source: SourceConfig, state: SourceState): Promise<void> {
  if (!ctx.sink || ctx.reconciled.has(source.id)) return;
  ctx.reconciled.add(source.id);
  const head = await ctx.store.head(source.id);
  if (!head || !Array.isArray(head.meta?.events) || head.meta.events.length === 0) return;
  // "new" alone raises no alert: nothing to re-derive, so no reason to read the history or the text.
  if (eventsOf(head).every((e) => e === 'new')) return;
  // Only a "changed" event is built against the version before; the others need no previous entry.
  const previous = head.outcome === 'changed'
    ? await findBack(ctx.store, source.id, (e) => e.seq < head.seq && (e.outcome === 'new' || e.outcome === 'changed'))
    : undefined;
  const text = head.textHash && (head.outcome === 'changed' || head.outcome === 'new')
    ? (await ctx.store.getBlob(head.textHash)).toString('utf8') : undefined;
  const failure: FailureInfo | undefined = head.outcome === 'failed'
    ? { checks: state.failStreak, since: state.failSince ?? head.time, status: head.status, error: head.error?.message }
    : undefined;
  const built = await alertsFor(ctx, source, head, previous, text, failure);
  for (const alert of built.alerts) await ctx.sink.enqueue(alert);
}
