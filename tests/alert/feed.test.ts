import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import * as cheerio from 'cheerio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alert/outbox.js';
import { validateChannels } from '../../src/alert/registry.js';
import { deliverTo } from './deliver-helper.js';
import { hostileAlert, makeAlert, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

function parseFeed(xml: string) {
  const $ = cheerio.load(xml, { xml: true });
  return {
    $,
    feed: $('feed'),
    entries: $('feed > entry')
      .toArray()
      .map((el) => {
        const e = $(el);
        return {
          id: e.children('id').text(),
          title: e.children('title').text(),
          titleType: e.children('title').attr('type'),
          updated: e.children('updated').text(),
          link: e.children('link').attr('href'),
          contentType: e.children('content').attr('type'),
          content: e.children('content').text(),
        };
      }),
  };
}

describe('atom feed', () => {
  it('writes a valid-looking feed with one entry per alert, newest first, keeping N', async () => {
    const settings = { path: 'feeds/alerts.xml', maxEntries: 3, title: 'Five Eyes & friends', selfUrl: 'https://redline.example.org/feed.xml' };
    for (let v = 2; v <= 6; v++) {
      await deliverTo('atom', settings, makeAlert({ key: `five-eyes-2020@v${v}`, toVersion: v, detectedAt: `2024-05-0${v}T09:30:00.000Z` }), { baseDir: tmp.dir });
    }
    // A re-sent alert replaces its entry instead of adding one.
    await deliverTo('atom', settings, makeAlert({ key: 'five-eyes-2020@v6', toVersion: 6, detectedAt: '2024-05-06T09:30:00.000Z' }), { baseDir: tmp.dir });
    const xml = await readFile(path.join(tmp.dir, 'feeds/alerts.xml'), 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const { feed, entries, $ } = parseFeed(xml);
    expect(feed.attr('xmlns')).toBe('http://www.w3.org/2005/Atom');
    expect(feed.children('title').text()).toBe('Five Eyes & friends');
    expect(feed.children('id').text()).toBe('https://redline.example.org/feed.xml');
    expect(feed.children('updated').text()).toBe('2024-05-06T09:30:00.000Z');
    expect($('feed > link[rel="self"]').attr('href')).toBe('https://redline.example.org/feed.xml');
    expect($('feed > author > name').text()).toBe('Redline');
    expect(entries.map((e) => e.id)).toEqual(['tag:redline,2025:five-eyes-2020@v6', 'tag:redline,2025:five-eyes-2020@v5', 'tag:redline,2025:five-eyes-2020@v4']);
    for (const e of entries) {
      expect(e.titleType).toBe('html');
      expect(e.contentType).toBe('html');
      expect(e.link).toBe('https://redline.example.org/diff/five-eyes-2020/1..2');
      expect(Number.isNaN(Date.parse(e.updated))).toBe(false);
    }
    expect(entries[0].title).toContain("2 words changed in paragraph 4: &#39;must not&#39; → &#39;should&#39;");
    const content = cheerio.load(entries[0].content);
    expect(content('del').text()).toBe('must not');
    expect(content('ins').text()).toBe('should');
    // Written via temp + rename: no temp files left behind.
    expect((await readdir(path.join(tmp.dir, 'feeds'))).sort()).toEqual(['alerts.xml', 'alerts.xml.entries.json']);
  });

  it('survives hostile page text: still well-formed XML, content escaped', async () => {
    await deliverTo('atom', { path: 'f.xml' }, hostileAlert(), { baseDir: tmp.dir });
    const xml = await readFile(path.join(tmp.dir, 'f.xml'), 'utf8');
    expect(xml).not.toMatch(/[\u0000]/);
    const { entries } = parseFeed(xml);
    expect(entries).toHaveLength(1);
    const html = cheerio.load(entries[0].content);
    expect(html('script, img').length).toBe(0);
    expect(html('ins').text()).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)> ]]>');
  });

  it('keeps every entry when deliveries to one feed run concurrently', async () => {
    const { channels } = validateChannels([{ type: 'atom', sources: [], tags: [], settings: { path: 'feed.xml' } }], path.join(tmp.dir, 'redline.yaml'));
    const ob = new Outbox({ archive: path.join(tmp.dir, 'archive'), channels, concurrency: 8 });
    for (let i = 0; i < 12; i++) await ob.enqueue(makeAlert({ key: `k${i}`, detectedAt: new Date(Date.UTC(2024, 4, 1, 0, i)).toISOString() }));
    expect(await ob.deliverDue(new Date())).toMatchObject({ delivered: 12 });
    const { entries } = parseFeed(await readFile(path.join(tmp.dir, 'feed.xml'), 'utf8'));
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 12 }, (_, i) => `tag:redline,2025:k${11 - i}`));
  });
});

describe('jsonl', () => {
  it('appends one JSON line per alert to a file', async () => {
    await deliverTo('jsonl', { path: 'out/alerts.jsonl' }, makeAlert(), { baseDir: tmp.dir });
    await deliverTo('jsonl', { path: 'out/alerts.jsonl' }, hostileAlert(), { baseDir: tmp.dir });
    const lines = (await readFile(path.join(tmp.dir, 'out/alerts.jsonl'), 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const [a, b] = lines.slice(0, 2).map((l) => JSON.parse(l));
    expect(a).toMatchObject({ schema: 'redline.alert/1', key: 'five-eyes-2020@v2', versions: { from: 1, to: 2 } });
    expect(b.key).toBe('hostile@v9');
    expect(b.diff.changes[0].added).toContain('<script>');
  });

  it('writes to stdout when no path is set', async () => {
    const chunks: string[] = [];
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    await deliverTo('jsonl', {}, makeAlert(), { stdout });
    expect(chunks).toHaveLength(1);
    expect(chunks[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(chunks[0]).summary).toBe("2 words changed in paragraph 4: 'must not' → 'should'");
  });
});
