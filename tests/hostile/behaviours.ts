/**
 * The table of misbehaving servers. Each entry says what the server does wrong and what a
 * check of the statement must record when it does: a failed check with an error code (and,
 * for 404/410/soft 404, that it counts towards removal), or, when what arrived really is the
 * statement despite the damage, an unchanged check.
 */
import type http from 'node:http';
import iconv from 'iconv-lite';
import type { DnsAnswer, Handler, Site } from './site.js';
import {
  STATEMENT_V1, bomb, challengeHtml, corruptPdf, edgiRecord, encryptedPdf, replayHeaders, requestAccessHtml,
  statementHtml, truncatedPdf,
} from './pages.js';

export type Expectation =
  | { failed: string; status?: number; gone?: boolean; message?: RegExp }
  | { unchanged: true; finalHost?: string; repair?: RegExp };

export interface Env {
  site: Site;
  /** This behaviour's host name and the statement's URL on it. */
  host: string;
  url: string;
  /** Serve `handler` for another host name (robots.txt is answered for it too). */
  route(host: string, handler: Handler): void;
  /** Numbers a handler measured, for `check`. */
  stats: Record<string, number>;
}

export interface Behaviour {
  name: string;
  /** A PDF source (the letter) instead of the HTML statement page. */
  pdf?: boolean;
  /** The hostile answer for the statement's path (robots.txt is the harness's unless `robots`). */
  serve?: (req: http.IncomingMessage, res: http.ServerResponse, env: Env) => void;
  /** robots.txt answer while the behaviour is on. */
  robots?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  dns?: DnsAnswer;
  /** Runs before the hostile check (routes for other hosts, precomputed bodies). */
  setup?: (env: Env) => void | Promise<void>;
  expect: Expectation;
  /** Further assertions after the hostile check (returns a problem, or undefined). */
  check?: (env: Env) => string | undefined;
}

const HTML = 'text/html; charset=utf-8';
const MB = 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: Buffer | string, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': HTML, 'content-length': String(buf.length), ...headers }).end(buf);
}

/** Writes `chunk` until the client goes away or `limit` bytes were sent; records what was sent. */
function pump(res: http.ServerResponse, env: Env, chunk: Buffer, limit: number): void {
  let sent = 0;
  res.on('close', () => (env.stats.sent = sent));
  const more = (): void => {
    while (sent < limit && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

/** Calls `step` every `ms` until the socket closes (for trickling servers). */
function every(res: http.ServerResponse, ms: number, step: () => void): void {
  const timer = setInterval(() => (res.socket?.destroyed ? clearInterval(timer) : step()), ms);
  res.socket?.once('close', () => clearInterval(timer));
}

const cloudflare = edgiRecord('cloudflare');
const unblock = edgiRecord('unblock');
let gzipBomb: Buffer;
let brotliBomb: Buffer;

export const BEHAVIOURS: Behaviour[] = [
  // --- the connection itself -------------------------------------------------------------
  { name: 'connection-refused', dns: { address: '127.0.0.3' }, expect: { failed: 'network', message: /ECONNREFUSED/ } },
  { name: 'dns-name-not-found', dns: { fail: 'ENOTFOUND' }, expect: { failed: 'dns', message: /ENOTFOUND/ } },
  { name: 'dns-temporary-failure', dns: { fail: 'EAI_AGAIN' }, expect: { failed: 'dns', message: /EAI_AGAIN/ } },
  { name: 'dns-no-addresses', dns: { empty: true }, expect: { failed: 'dns' } },
  { name: 'no-response-headers', serve: () => undefined, expect: { failed: 'timeout', message: /headers/ } },
  {
    name: 'slowloris-headers',
    serve: (req) => {
      // Raw bytes: a status line, then one header line every 100 ms, never a blank line.
      const socket = req.socket;
      socket.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('X-Trickle: 1\r\n')), 100);
      socket.once('close', () => clearInterval(timer));
    },
    expect: { failed: 'timeout' },
  },
  {
    name: 'stall-mid-body',
    serve: (_req, res) => {
      res.writeHead(200, { 'content-type': HTML, 'content-length': String(STATEMENT_V1.length) });
      res.write(STATEMENT_V1.subarray(0, Math.floor(STATEMENT_V1.length / 2)));
    },
    expect: { failed: 'timeout', message: /body/ },
  },
  {
    name: 'slowloris-body',
    serve: (_req, res) => {
      res.writeHead(200, { 'content-type': HTML });
      let i = 0;
      every(res, 25, () => res.write(STATEMENT_V1.subarray(i % STATEMENT_V1.length, (i++ % STATEMENT_V1.length) + 1)));
    },
    expect: { failed: 'timeout', message: /bodyTimeoutMs/ },
  },
  {
    name: 'reset-mid-body',
    serve: (req, res) => {
      res.writeHead(200, { 'content-type': HTML, 'content-length': String(STATEMENT_V1.length) });
      res.write(STATEMENT_V1.subarray(0, 1000), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
    },
    expect: { failed: 'network' },
  },
  {
    name: 'closed-before-content-length',
    serve: (req, res) => {
      res.writeHead(200, { 'content-type': HTML, 'content-length': String(STATEMENT_V1.length * 3) });
      res.write(STATEMENT_V1, () => req.socket.end());
    },
    expect: { failed: 'network' },
  },
  {
    name: 'not-http-at-all',
    serve: (req) => req.socket.end('SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n'),
    expect: { failed: 'network' },
  },
  {
    name: 'header-overflow',
    serve: (_req, res) => send(res, 200, STATEMENT_V1, { 'x-padding': 'a'.repeat(128 * 1024) }),
    expect: { failed: 'network' },
  },

  // --- size and encoding of the body -----------------------------------------------------
  {
    name: 'endless-body',
    serve: (_req, res, env) => {
      res.writeHead(200, { 'content-type': HTML });
      pump(res, env, Buffer.alloc(64 * 1024, '<p>lorem ipsum dolor sit amet</p>\n'), 4096 * MB);
    },
    expect: { failed: 'too-large' },
    // The fetcher stopped reading at the 4 MB cap: the server could push little more than the socket buffers hold.
    check: (env) => (env.stats.sent === undefined || env.stats.sent > 64 * MB ? `server sent ${env.stats.sent} bytes of an endless body` : undefined),
  },
  {
    name: 'declared-length-far-over-cap',
    serve: (_req, res, env) => {
      res.writeHead(200, { 'content-type': HTML, 'content-length': String(800 * MB) });
      pump(res, env, Buffer.alloc(64 * 1024, 'x'), 800 * MB);
    },
    expect: { failed: 'too-large', message: /Content-Length/ },
    check: (env) => (env.stats.sent === undefined || env.stats.sent > 64 * MB ? `server sent ${env.stats.sent} of 800 MB` : undefined),
  },
  {
    name: 'gzip-bomb',
    setup: async () => void (gzipBomb ??= await bomb('gzip', 512 * MB)),
    serve: (_req, res) => send(res, 200, gzipBomb, { 'content-encoding': 'gzip' }),
    expect: { failed: 'too-large', message: /after decompression/ },
  },
  {
    name: 'brotli-bomb',
    setup: async () => void (brotliBomb ??= await bomb('br', 256 * MB)),
    serve: (_req, res) => send(res, 200, brotliBomb, { 'content-encoding': 'br' }),
    expect: { failed: 'too-large', message: /after decompression/ },
  },
  {
    name: 'corrupt-gzip',
    serve: (_req, res) => send(res, 200, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(2000, 0x5a)]), { 'content-encoding': 'gzip' }),
    expect: { failed: 'decode' },
  },
  {
    name: 'unknown-content-encoding',
    serve: (_req, res) => send(res, 200, STATEMENT_V1, { 'content-encoding': 'zstd-ultra' }),
    expect: { failed: 'decode', message: /zstd-ultra/ },
  },

  // --- redirects -------------------------------------------------------------------------
  {
    name: 'redirect-loop',
    serve: (req, res) => res.writeHead(302, { location: req.url === '/statement' ? '/statement-moved' : '/statement' }).end(),
    expect: { failed: 'too-many-redirects', message: /redirect loop/ },
  },
  {
    name: 'redirect-chain-too-long',
    serve: (req, res) => {
      const n = Number(/\/hop(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(301, { location: `/hop${n + 1}` }).end();
    },
    expect: { failed: 'too-many-redirects', message: /more than 10 redirects/ },
  },
  {
    name: 'redirect-to-file-scheme',
    serve: (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    expect: { failed: 'bad-redirect', message: /file:\/\/\/etc\/passwd/ },
  },
  {
    name: 'redirect-without-location',
    serve: (_req, res) => res.writeHead(302).end(),
    expect: { failed: 'bad-redirect', message: /no Location/ },
  },
  {
    // The same statement, moved for good to another host name on another loopback address.
    name: 'moved-permanently-to-another-host',
    setup: (env) => env.route(`mirror.${env.host}`, (_req, res) => send(res, 200, STATEMENT_V1)),
    serve: (_req, res, env) => res.writeHead(301, { location: `http://mirror.${env.host}:${env.site.mirrorPort}/statement` }).end(),
    expect: { unchanged: true, finalHost: 'mirror.' },
  },

  // --- HTTP statuses ---------------------------------------------------------------------
  { name: 'http-404', serve: (_req, res) => send(res, 404, '<h1>Not Found</h1>'), expect: { failed: 'http', status: 404, gone: true } },
  { name: 'http-410', serve: (_req, res) => send(res, 410, '<h1>Gone</h1>'), expect: { failed: 'http', status: 410, gone: true } },
  {
    name: 'http-429-retry-after',
    serve: (_req, res) => send(res, 429, 'slow down', { 'retry-after': '3600' }),
    expect: { failed: 'http', status: 429, message: /Retry-After 3600 s/ },
  },
  { name: 'http-500', serve: (_req, res) => send(res, 500, '<h1>Internal Server Error</h1>'), expect: { failed: 'http', status: 500, message: /server error/ } },
  { name: 'http-503', serve: (_req, res) => send(res, 503, '<h1>Service Unavailable</h1>'), expect: { failed: 'http', status: 503 } },

  // --- what the body is ------------------------------------------------------------------
  { name: 'empty-200', serve: (_req, res) => send(res, 200, ''), expect: { failed: 'empty', message: /empty body/ } },
  {
    name: 'html-skeleton-without-text',
    serve: (_req, res) => send(res, 200, '<!DOCTYPE html><html><head><title></title><script>app()</script></head><body><div id="root"></div></body></html>'),
    expect: { failed: 'empty', message: /no statement text/ },
  },
  {
    name: 'html-as-octet-stream',
    serve: (_req, res) => send(res, 200, STATEMENT_V1, { 'content-type': 'application/octet-stream' }),
    expect: { unchanged: true },
  },
  {
    name: 'binary-as-text-html',
    serve: (_req, res) => {
      const png = Buffer.alloc(4096);
      for (let i = 0; i < png.length; i++) png[i] = (i * 7919) & 0xff;
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
      send(res, 200, png);
    },
    expect: { failed: 'extract', message: /PNG image/ },
  },
  {
    // The label from EDGI's NWS radar page (tests/fixtures/govpages/edge-cases), in the header and the document.
    name: 'bogus-charset-label',
    serve: (_req, res) => send(res, 200, statementHtml(1, { meta: '<meta charset="who-knows-what-i-am">' }), { 'content-type': 'text/html; charset=who-knows-what-i-am' }),
    expect: { unchanged: true, repair: /unknown label "who-knows-what-i-am"/ },
  },
  {
    name: 'utf8-declared-as-latin1',
    serve: (_req, res) => send(res, 200, statementHtml(1, { meta: '<meta charset="iso-8859-1">' }), { 'content-type': 'text/html; charset=iso-8859-1' }),
    expect: { unchanged: true, repair: /bytes are valid UTF-8/ },
  },
  {
    name: 'windows-1252-declared-as-utf8',
    serve: (_req, res) => send(res, 200, iconv.encode(statementHtml(1), 'windows-1252')),
    expect: { unchanged: true, repair: /not valid UTF-8/ },
  },
  {
    name: 'utf16-declared-as-utf8',
    serve: (_req, res) => send(res, 200, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(statementHtml(1, { meta: '' }), 'utf16le')])),
    expect: { unchanged: true },
  },
  {
    // Overlong, surrogate and truncated sequences in markup the statement does not include.
    name: 'invalid-utf8-outside-the-text',
    serve: (_req, res) => {
      const bad = Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff]);
      const [a, b] = statementHtml(1).split('<main>');
      send(res, 200, Buffer.concat([Buffer.from(`${a}<!-- `), bad, Buffer.from(' --><div data-x="'), bad, Buffer.from('"></div><main>'), Buffer.from(b!)]));
    },
    expect: { unchanged: true, repair: /not valid UTF-8/ },
  },
  {
    name: 'malformed-html',
    serve: (_req, res) => {
      const page = statementHtml(1)
        .replace('<header>', '<header <<>> class=x"y')
        .replace('<article>', '<article><div><span><b>')
        .replace('</main>', '</span></div></td></tr></table></main></main>')
        .replace(/<\/p>/g, '')
        .replace('</html>', '</html><p>trailing <b>unclosed <i>');
      send(res, 200, page);
    },
    expect: { unchanged: true },
  },
  {
    name: 'deeply-nested-html',
    serve: (_req, res) => {
      const page = statementHtml(1).replace('<article>', `${'<div>'.repeat(100_000)}<article>`).replace('</article>', `</article>${'</div>'.repeat(100_000)}`);
      send(res, 200, page);
    },
    expect: { unchanged: true, repair: /nested deeper/ },
  },
  {
    name: 'multi-megabyte-single-line',
    serve: (_req, res) => send(res, 200, statementHtml(1, { newline: '', head: `<script>var state="${'QUJD'.repeat(768 * 1024)}";</script>` })),
    expect: { unchanged: true },
  },

  // --- bot walls and soft 404s -----------------------------------------------------------
  {
    // EDGI's capture of emp.lbl.gov: HTTP 403, "Just a moment...", server: cloudflare, cf-mitigated: challenge.
    name: 'edgi-cloudflare-challenge',
    serve: (_req, res) => send(res, cloudflare.status, challengeHtml(cloudflare.title), replayHeaders(cloudflare.headers)),
    expect: { failed: 'http', status: 403, message: /access refused/ },
  },
  {
    name: 'cloudflare-challenge-served-200',
    serve: (_req, res) => send(res, 200, challengeHtml('Just a moment...'), { server: 'cloudflare' }),
    expect: { failed: 'blocked', message: /bot wall text "Checking if the site connection is secure"/ },
  },
  {
    name: 'cf-mitigated-header-on-200',
    serve: (_req, res) => send(res, 200, challengeHtml('One moment, please'), { server: 'cloudflare', 'cf-mitigated': 'challenge' }),
    expect: { failed: 'blocked', message: /cf-mitigated/ },
  },
  {
    // EDGI's Federal Register capture: 302 to unblock.federalregister.gov, then 200 "Request Access".
    name: 'edgi-unblock-redirect',
    setup: (env) => env.route(`unblock.${env.host}`, (_req, res) => send(res, unblock.status, requestAccessHtml(unblock.title), replayHeaders(unblock.headers))),
    serve: (_req, res, env) => res.writeHead(302, { location: `http://unblock.${env.host}:${env.site.port}/` }).end(),
    expect: { failed: 'blocked', message: /bot wall/ },
  },
  {
    name: 'access-denied-page',
    serve: (_req, res) => send(res, 200, '<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1><p>You don\'t have permission to access "http://www.example.gov/statement" on this server.</p><p>Reference #18.5f3c1102.1700000000.1a2b3c</p></body></html>', { server: 'AkamaiGHost' }),
    expect: { failed: 'blocked' },
  },
  {
    name: 'soft-404',
    serve: (_req, res) => send(res, 200, '<html><head><title>Page not found - Public Safety Canada</title></head><body><main><h1>We couldn\'t find that Web page (Error 404)</h1><p>We\'re sorry you ended up here. Sometimes a page gets moved or deleted.</p><p><a href="/">Return to the home page</a></p></main></body></html>'),
    expect: { failed: 'soft-404', gone: true },
  },

  // --- PDFs ------------------------------------------------------------------------------
  { name: 'pdf-truncated', pdf: true, serve: (_req, res) => send(res, 200, truncatedPdf(), { 'content-type': 'application/pdf' }), expect: { failed: 'extract', message: /truncated/ } },
  { name: 'pdf-corrupt', pdf: true, serve: (_req, res) => send(res, 200, corruptPdf(), { 'content-type': 'application/pdf' }), expect: { failed: 'extract', message: /could not be parsed/ } },
  { name: 'pdf-encrypted', pdf: true, serve: (_req, res) => send(res, 200, encryptedPdf(), { 'content-type': 'application/pdf' }), expect: { failed: 'extract', message: /encrypted/ } },

  // --- robots.txt ------------------------------------------------------------------------
  {
    name: 'robots-disallow',
    robots: (_req, res) => send(res, 200, 'User-agent: *\nDisallow: /statement\n', { 'content-type': 'text/plain' }),
    serve: (_req, res) => send(res, 200, STATEMENT_V1),
    expect: { failed: 'robots', message: /robots\.txt disallows/ },
  },
  {
    name: 'robots-server-error',
    robots: (_req, res) => send(res, 503, 'down', { 'content-type': 'text/plain' }),
    serve: (_req, res) => send(res, 200, STATEMENT_V1),
    expect: { failed: 'robots', message: /treat the site as disallowed/ },
  },
];

