/** Shared test material: hand-built DiffReports and alerts, a loopback HTTP receiver, temp dirs. */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from '../../src/alert/types.js';
import type { Change, DiffReport } from '../../src/diff/types.js';

/** Paragraph 4 (index 3): "must" → "should", plus "not" dropped. */
export function mustShouldReport(): DiffReport {
  const change: Change = {
    kind: 'replace',
    removed: 'must not',
    added: 'should',
    context: 'Tech companies must not design their systems to preclude lawful access.',
    beforeParagraph: 3,
    afterParagraph: 3,
    segments: [
      { op: 'equal', text: 'Tech companies ' },
      { op: 'delete', text: 'must not' },
      { op: 'insert', text: 'should' },
      { op: 'equal', text: ' design their systems to preclude lawful access to content.' },
    ],
  };
  return { changed: true, alert: true, degraded: false, stats: { wordsAdded: 1, wordsRemoved: 2, wordsMoved: 0, paragraphsChanged: 1 }, changes: [change] };
}

export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    key: 'five-eyes-2020@v2',
    event: 'changed',
    source: 'five-eyes-2020',
    url: 'https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety',
    tags: ['encryption'],
    detectedAt: '2024-05-01T09:30:00.000Z',
    fromVersion: 1,
    toVersion: 2,
    fromTime: '2024-04-01T09:00:00.000Z',
    toTime: '2024-05-01T09:30:00.000Z',
    summary: "2 words changed in paragraph 4: 'must not' → 'should'",
    significance: { level: 'high', alert: true, reasons: ["modal weakened: 'must' → 'should'", 'negation removed'] },
    report: mustShouldReport(),
    links: { diff: 'https://redline.example.org/diff/five-eyes-2020/1..2' },
    ...over,
  };
}

/** A report of `n` changed paragraphs, each with a long inserted run: for size limits. */
export function bigReport(n: number, wordsPerChange = 400): DiffReport {
  const changes: Change[] = [];
  for (let i = 0; i < n; i++) {
    const added = Array.from({ length: wordsPerChange }, (_, j) => `wörd${j}`).join(' ');
    changes.push({
      kind: 'replace',
      removed: 'old text',
      added,
      context: '',
      beforeParagraph: i,
      afterParagraph: i,
      segments: [
        { op: 'equal', text: 'Lead-in words before the edit of this paragraph ' },
        { op: 'delete', text: 'old text' },
        { op: 'insert', text: added },
        { op: 'equal', text: ' trailing words after the edit in this paragraph.' },
      ],
    });
  }
  return { changed: true, alert: true, degraded: false, stats: { wordsAdded: n * wordsPerChange, wordsRemoved: 2 * n, wordsMoved: 0, paragraphsChanged: n }, changes };
}

/** Page text a hostile site could publish. */
export const HOSTILE = `<script>alert(1)</script> <img src=x onerror=alert(2)> ]]> <!channel> @everyone **bold** [x](javascript:alert(3)) \u202Eevil\u0000`;

export function hostileAlert(): Alert {
  const report: DiffReport = {
    changed: true,
    alert: true,
    degraded: false,
    stats: { wordsAdded: 10, wordsRemoved: 1, wordsMoved: 0, paragraphsChanged: 1 },
    changes: [
      {
        kind: 'replace',
        removed: 'safe',
        added: HOSTILE,
        context: '',
        beforeParagraph: 0,
        afterParagraph: 0,
        segments: [
          { op: 'equal', text: 'Before ' },
          { op: 'delete', text: 'safe' },
          { op: 'insert', text: HOSTILE },
          { op: 'equal', text: ' after.' },
        ],
      },
    ],
  };
  return makeAlert({ key: 'hostile@v9', report, summary: '' });
}

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1; `reply` decides each answer. */
export async function startReceiver(reply: (req: Received, n: number) => { status: number; body?: string; headers?: Record<string, string> } = () => ({ status: 200 })): Promise<Receiver> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const a = reply(r, requests.length);
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function tempDir(prefix = 'redline-alert-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
