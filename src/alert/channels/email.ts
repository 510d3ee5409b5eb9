/** E-mail over SMTP (nodemailer): a plain-text part and an HTML part, both with the word diff. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
// nodemailer is loaded on the first send: a run without an e-mail channel (most `redline check`
// runs) does not pay its ~15 MB.
const loadNodemailer = async () => (await import('nodemailer')).default;
import { z } from 'zod';
import { DeliveryError } from '../errors.js';
import { flavors } from '../excerpt.js';
import { composeMessage, summaryOf, titleOf } from '../message.js';
import { clip, escapeHtml, oneLine } from '../text.js';
import type { Alert, ChannelKind } from '../types.js';
import { name, secret, timeoutMs } from './common.js';

// One line, with an @: nothing a page or a config typo could turn into an extra header.
const address = z.string().regex(/^[^\r\n@]+@[^\r\n@]+$/, 'must be an e-mail address such as alerts@example.org or "Name <alerts@example.org>"');

const settings = z
  .strictObject({
    name,
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).optional(),
    /** TLS from the first byte (port 465). */
    secure: z.boolean().default(false),
    /** Refuse to send unless the server upgrades the connection with STARTTLS. */
    starttls: z.boolean().default(true),
    user: z.string().min(1).optional(),
    pass: secret.optional(),
    from: address,
    to: z.union([address, z.array(address).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    /** PEM file of a private CA (relative to redline.yaml) for a server with its own certificate. */
    ca: z.string().min(1).optional(),
    rejectUnauthorized: z.boolean().default(true),
    subjectPrefix: z.string().max(40).default('[Redline]'),
    // Long enough for a thorough diff, short enough that a mail client shows it without trouble.
    maxChars: z.number().int().min(1_000).max(2_000_000).default(60_000),
    timeoutMs: timeoutMs(30_000),
  })
  .refine((s) => (s.user === undefined) === (s.pass === undefined), { message: 'give both user and pass, or neither', path: ['pass'] });

export type EmailSettings = z.output<typeof settings>;

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

function domainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m ? m[1] : 'redline.invalid';
}

export function emailMessage(alert: Alert, s: Pick<EmailSettings, 'from' | 'subjectPrefix' | 'maxChars'>): EmailMessage {
  const summary = summaryOf(alert);
  const text = composeMessage(alert, flavors.text, { maxChars: s.maxChars }).text;
  const body = composeMessage(alert, flavors.html, { maxChars: s.maxChars }).text;
  const title = escapeHtml(titleOf(alert));
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family:Georgia,serif;font-size:16px;line-height:1.5;max-width:48em">\n${body}\n</body></html>`;
  // A Message-ID derived from the idempotency key lets mail systems spot a re-sent alert.
  const hash = createHash('sha256').update(alert.key).digest('hex').slice(0, 32);
  return {
    subject: clip(oneLine(`${s.subjectPrefix} ${alert.source}: ${summary}`), 200),
    text,
    html,
    messageId: `<${hash}.redline@${domainOf(s.from)}>`,
  };
}

/** SMTP reply codes 4xx are temporary by definition; 5xx and configuration errors are not. */
function classify(err: unknown, where: string): DeliveryError {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string; command?: string };
  const said = clip(oneLine(e.response ?? e.message ?? String(err)), 200);
  const permanent: Record<string, string> = {
    EAUTH: 'login refused; check user and pass',
    ENOAUTH: 'the server wants a login; set user and pass',
    EENVELOPE: 'sender or recipient refused; check from and to',
    ETLS: 'TLS failed; check port, secure, starttls and the server certificate',
    EREQUIRETLS: 'the server does not offer STARTTLS; set starttls: false only if the network is trusted',
    ECONFIG: 'invalid configuration',
  };
  if (e.code && permanent[e.code]) return new DeliveryError(`${where}: ${permanent[e.code]} (${said})`, { retryable: false, cause: err });
  if (typeof e.responseCode === 'number') {
    const to = e.command ? ` to ${oneLine(e.command)}` : '';
    const hint = /STARTTLS/i.test(e.command ?? '') && e.responseCode >= 500 ? '; the server does not do STARTTLS: set starttls: false only if the network is trusted' : '';
    return new DeliveryError(`${where} answered "${said}"${to}${hint}`, { retryable: e.responseCode < 500, cause: err });
  }
  if (/certificate|self[- ]signed|unable to verify/i.test(said)) {
    return new DeliveryError(`${where}: server certificate not trusted (${said}); set ca to its CA file`, { retryable: false, cause: err });
  }
  return new DeliveryError(`${where}: ${said}`, { retryable: true, cause: err });
}

export const email: ChannelKind<EmailSettings> = {
  type: 'email',
  description: 'E-mail over SMTP (STARTTLS or TLS, optional login), text + HTML',
  settings,
  identity: (s) => `${s.host}:${s.port ?? ''} ${s.to.join(',')}`,
  async deliver(alert, s, ctx) {
    const port = s.port ?? (s.secure ? 465 : 587);
    const where = `SMTP ${s.host}:${port}`;
    let ca: string | undefined;
    if (s.ca) {
      const file = path.resolve(ctx.baseDir, s.ca);
      try {
        ca = await readFile(file, 'utf8');
      } catch (err) {
        throw new DeliveryError(`${where}: cannot read ca file ${file}: ${(err as Error).message}`, { retryable: false, cause: err });
      }
    }
    const nodemailer = await loadNodemailer();
    const transport = nodemailer.createTransport({
      host: s.host,
      port,
      secure: s.secure,
      requireTLS: !s.secure && s.starttls,
      auth: s.user && s.pass ? { user: s.user, pass: s.pass } : undefined,
      // SNI must be a host name; with an IP address the certificate is checked against the IP.
      tls: { rejectUnauthorized: s.rejectUnauthorized, ...(ca ? { ca } : {}), ...(isIP(s.host) ? {} : { servername: s.host }) },
      connectionTimeout: s.timeoutMs,
      greetingTimeout: s.timeoutMs,
      socketTimeout: s.timeoutMs,
    });
    const msg = emailMessage(alert, s);
    try {
      await transport.sendMail({
        from: s.from,
        to: s.to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        messageId: msg.messageId,
        headers: { 'X-Redline-Key': ctx.key, 'X-Redline-Event': alert.event },
        signal: ctx.signal,
      });
    } catch (err) {
      throw classify(err, where);
    } finally {
      transport.close();
    }
  },
};
