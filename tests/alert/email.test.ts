import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import * as cheerio from 'cheerio';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/alert/errors.js';
import { Outbox } from '../../src/alert/outbox.js';
import { validateChannels } from '../../src/alert/registry.js';
import { deliverTo } from './deliver-helper.js';
import { bigReport, hostileAlert, makeAlert, tempDir } from './helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// node:crypto cannot make X.509 certificates; without openssl only plain SMTP is tested.
const OPENSSL = hasOpenssl();

interface Peer {
  port: number;
  out: string;
  stop(): Promise<void>;
}

async function startPeer(dir: string, tls: { key: string; cert: string } | undefined): Promise<Peer> {
  const out = path.join(dir, tls ? 'mail-tls' : 'mail-plain');
  await (await import('node:fs/promises')).mkdir(out, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'smtp-peer.ts')], {
    env: { ...process.env, SMTP_OUT: out, SMTP_USER: 'redline', SMTP_PASS: 'hunter2', ...(tls ? { SMTP_KEY: tls.key, SMTP_CERT: tls.cert } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`smtp-peer exited early with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function received(peer: Peer) {
  const names = (await readdir(peer.out)).filter((n) => n.endsWith('.eml')).sort((a, b) => parseInt(a) - parseInt(b));
  return Promise.all(
    names.map(async (n) => ({
      mail: await simpleParser(await readFile(path.join(peer.out, n))),
      session: JSON.parse(await readFile(path.join(peer.out, n.replace('.eml', '.json')), 'utf8')) as { secure: boolean; user: string; to: string[] },
    })),
  );
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let tlsPeer: Peer | undefined;
let plainPeer: Peer;
let certFile = '';

beforeAll(async () => {
  tmp = await tempDir();
  if (OPENSSL) {
    const key = path.join(tmp.dir, 'key.pem');
    certFile = path.join(tmp.dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    tlsPeer = await startPeer(tmp.dir, { key, cert: certFile });
  }
  plainPeer = await startPeer(tmp.dir, undefined);
});

afterAll(async () => {
  await Promise.all([tlsPeer?.stop(), plainPeer?.stop()]);
  await tmp.cleanup();
});

const base = { host: '127.0.0.1', from: 'Redline <alerts@redline.example.org>', to: ['desk@example.org', 'legal@example.org'] };

describe.skipIf(!OPENSSL)('e-mail over STARTTLS with login (self-signed certificate made with openssl)', () => {
  it('delivers text and HTML parts with a readable word diff', async () => {
    await deliverTo('email', { ...base, port: tlsPeer!.port, starttls: true, user: 'redline', pass: 'hunter2', ca: certFile }, makeAlert());
    const [{ mail, session }] = await received(tlsPeer!);
    expect(session).toMatchObject({ secure: true, user: 'redline', to: ['desk@example.org', 'legal@example.org'] });
    expect(mail.subject).toBe("[Redline] five-eyes-2020: 2 words changed in paragraph 4: 'must not' → 'should'");
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}\.redline@redline\.example\.org>$/);
    expect(mail.headers.get('x-redline-key')).toBe('five-eyes-2020@v2');
    expect(mail.text).toContain('Tech companies [-must not-] {+should+} design their systems');
    expect(mail.text).toContain('Full diff: https://redline.example.org/diff/five-eyes-2020/1..2');
    const $ = cheerio.load(String(mail.html));
    expect($('del').text()).toBe('must not');
    expect($('ins').text()).toBe('should');
    expect($('a').first().attr('href')).toBe('https://redline.example.org/diff/five-eyes-2020/1..2');
  });

  it('refuses a wrong password and an untrusted certificate without retrying', async () => {
    const badPass = (await deliverTo('email', { ...base, port: tlsPeer!.port, user: 'redline', pass: 'wrong', ca: certFile }, makeAlert()).catch((e: unknown) => e)) as DeliveryError;
    expect(badPass).toBeInstanceOf(DeliveryError);
    expect(badPass.retryable).toBe(false);
    expect(badPass.message).toMatch(/^SMTP 127\.0\.0\.1:\d+: login refused; check user and pass/);
    const untrusted = (await deliverTo('email', { ...base, port: tlsPeer!.port, user: 'redline', pass: 'hunter2' }, makeAlert()).catch((e: unknown) => e)) as DeliveryError;
    expect(untrusted.retryable).toBe(false);
    expect(untrusted.message).toMatch(/certificate|TLS failed/);
  });

  it('goes through the outbox, escaping hostile page text in the HTML part', async () => {
    const before = (await received(tlsPeer!)).length;
    const { channels, problems } = validateChannels(
      [{ type: 'email', sources: [], tags: [], settings: { ...base, port: tlsPeer!.port, user: 'redline', pass: 'hunter2', ca: certFile } }],
      path.join(tmp.dir, 'redline.yaml'),
    );
    expect(problems).toEqual([]);
    const ob = new Outbox({ archive: path.join(tmp.dir, 'archive'), channels });
    await ob.enqueue(hostileAlert());
    await ob.enqueue(makeAlert({ key: 'big@v3', report: bigReport(200) }));
    expect(await ob.deliverDue(new Date())).toMatchObject({ delivered: 2 });
    const mails = (await received(tlsPeer!)).slice(before);
    const hostile = mails.find((m) => m.mail.headers.get('x-redline-key') === 'hostile@v9')!.mail;
    const $ = cheerio.load(String(hostile.html));
    expect($('script, img').length).toBe(0);
    expect($('ins').text()).toContain('<script>alert(1)</script>');
    expect(hostile.subject).not.toMatch(/[\u202E\u0000]/);
    const big = mails.find((m) => m.mail.headers.get('x-redline-key') === 'big@v3')!.mail;
    expect(big.text).toMatch(/more changes not shown/);
  });
});

describe('e-mail over plain SMTP', () => {
  it('refuses to send when STARTTLS is required but not offered', async () => {
    const err = (await deliverTo('email', { ...base, port: plainPeer.port, starttls: true, user: 'redline', pass: 'hunter2' }, makeAlert()).catch((e: unknown) => e)) as DeliveryError;
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/SMTP 127\.0\.0\.1:\d+: .*(STARTTLS|TLS)/);
    expect(await received(plainPeer)).toHaveLength(0);
  });

  it('sends with starttls: false (a trusted local relay)', async () => {
    await deliverTo('email', { ...base, port: plainPeer.port, starttls: false, user: 'redline', pass: 'hunter2' }, makeAlert());
    const [{ mail, session }] = await received(plainPeer);
    expect(session.secure).toBe(false);
    expect(mail.text).toContain('[-must not-] {+should+}');
  });

  it('calls a closed port a retryable failure', async () => {
    const err = (await deliverTo('email', { ...base, port: 9, starttls: false, timeoutMs: 2000 }, makeAlert()).catch((e: unknown) => e)) as DeliveryError;
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/^SMTP 127\.0\.0\.1:9: /);
  });
});
