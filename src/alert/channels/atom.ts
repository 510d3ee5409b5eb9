/**
 * Atom feed file any feed reader can follow. One entry per alert (id = tag: URI built
 * from the idempotency key, so a re-sent alert replaces its entry instead of adding one),
 * newest N kept. The entries live in a JSON file beside the feed so the feed is rebuilt
 * from data, never by parsing our own XML; both are written temp + fsync + rename.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Feed } from 'feed';
import { z } from 'zod';
import { DeliveryError } from '../errors.js';
import { flavors } from '../excerpt.js';
import { writeFileDurable } from '../fsutil.js';
import { withLock } from '../lock.js';
import { composeMessage, summaryOf, titleOf } from '../message.js';
import { escapeHtml, isHttpUrl, stripXmlInvalid } from '../text.js';
import type { Alert, ChannelKind } from '../types.js';
import { httpUrl, name, timeoutMs } from './common.js';

const settings = z.strictObject({
  name,
  path: z.string().min(1),
  maxEntries: z.number().int().min(1).max(10_000).default(200),
  title: z.string().min(1).max(200).default('Redline alerts'),
  /** Where the feed is served, for rel="self" (feed validators want it). */
  selfUrl: httpUrl.optional(),
  /** A web page the feed belongs to (rel="alternate"). */
  link: httpUrl.optional(),
  /** tag: URI authority and date (RFC 4151); change them and every entry id changes. */
  authority: z.string().regex(/^[a-z0-9.-]+$/i, 'a domain name or similar, e.g. example.org').default('redline'),
  tagDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD').default('2025'),
  maxChars: z.number().int().min(1_000).max(1_000_000).default(100_000),
  timeoutMs: timeoutMs(10_000),
});

export type AtomSettings = z.output<typeof settings>;

interface StoredEntry {
  id: string;
  title: string;
  summary: string;
  link: string;
  updated: string;
  contentHtml: string;
}

export function tagUri(authority: string, tagDate: string, specific: string): string {
  // RFC 4151 "specific" allows URI pchars; percent-encode everything else.
  return `tag:${authority},${tagDate}:${encodeURIComponent(specific).replace(/%40/g, '@').replace(/%3A/g, ':').replace(/%2F/g, '/')}`;
}

function entryFor(alert: Alert, s: AtomSettings): StoredEntry {
  const id = tagUri(s.authority, s.tagDate, alert.key);
  const link = isHttpUrl(alert.links.diff) ? alert.links.diff : isHttpUrl(alert.url) ? alert.url : id;
  return {
    id,
    title: `${titleOf(alert)} — ${summaryOf(alert)}`,
    summary: summaryOf(alert),
    link,
    updated: new Date(alert.detectedAt).toISOString(),
    contentHtml: composeMessage(alert, flavors.html, { maxChars: s.maxChars }).text,
  };
}

// Everything below goes into CDATA sections; "]]>" would end one early.
function cdataSafe(text: string): string {
  return stripXmlInvalid(text).replace(/]]>/g, ']]&gt;');
}

/** `feed` is loaded on the first delivery, so runs without an Atom channel do not load it. */
export async function renderFeed(entries: StoredEntry[], s: AtomSettings, feedPath: string): Promise<string> {
  const FeedClass: typeof Feed = (await import('feed')).Feed;
  const newest = entries[0]?.updated ?? new Date(0).toISOString();
  const feed = new FeedClass({
    id: s.selfUrl ?? tagUri(s.authority, s.tagDate, `feed/${path.basename(feedPath)}`),
    title: stripXmlInvalid(s.title),
    updated: new Date(newest),
    generator: 'Redline',
    author: { name: 'Redline' },
    ...(s.link ? { link: s.link } : {}),
    ...(s.selfUrl ? { feedLinks: { atom: s.selfUrl } } : {}),
  });
  for (const e of entries) {
    feed.addItem({
      id: e.id,
      title: cdataSafe(escapeHtml(e.title)),
      link: e.link,
      date: new Date(e.updated),
      published: new Date(e.updated),
      description: cdataSafe(escapeHtml(e.summary)),
      content: cdataSafe(e.contentHtml),
    });
  }
  return feed.atom1();
}

async function readEntries(file: string): Promise<StoredEntry[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const data = JSON.parse(text) as { entries?: StoredEntry[] };
    return Array.isArray(data.entries) ? data.entries : [];
  } catch (err) {
    throw new DeliveryError(`atom: ${file} is not valid JSON (${(err as Error).message}); move it away to start the feed afresh`, { retryable: false, cause: err });
  }
}

export const atom: ChannelKind<AtomSettings> = {
  type: 'atom',
  description: 'Atom feed file (newest N entries, HTML diff content)',
  settings,
  identity: (s) => s.path,
  async deliver(alert, s, ctx) {
    const feedPath = path.resolve(ctx.baseDir, s.path);
    const entriesPath = `${feedPath}.entries.json`;
    try {
      await withLock(`${feedPath}.lock`, async () => {
        const entry = entryFor(alert, s);
        const entries = (await readEntries(entriesPath)).filter((e) => e.id !== entry.id);
        entries.push(entry);
        entries.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.id < b.id ? 1 : -1));
        const kept = entries.slice(0, s.maxEntries);
        await writeFileDurable(entriesPath, JSON.stringify({ version: 1, entries: kept }));
        await writeFileDurable(feedPath, await renderFeed(kept, s, feedPath));
      }, s.timeoutMs);
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      const e = err as NodeJS.ErrnoException;
      // A missing directory or no permission needs the operator; a busy lock does not.
      const retryable = !(e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'ENOTDIR');
      throw new DeliveryError(`atom: cannot write ${feedPath}: ${e.message}`, { retryable, cause: err });
    }
  },
};
