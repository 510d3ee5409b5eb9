/**
 * A real SMTP server process for the e-mail tests (smtp-server package).
 * Env: SMTP_OUT (folder for received messages), SMTP_USER, SMTP_PASS, and optionally
 * SMTP_KEY / SMTP_CERT (PEM files) to offer STARTTLS. Prints {"port":n} once listening.
 * Each message is saved as <n>.eml plus <n>.json with what the session looked like.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const out = process.env.SMTP_OUT;
if (!out) throw new Error('smtp-peer: set SMTP_OUT to a folder');
const tls = process.env.SMTP_KEY && process.env.SMTP_CERT ? { key: readFileSync(process.env.SMTP_KEY), cert: readFileSync(process.env.SMTP_CERT) } : undefined;
let count = 0;

const server = new SMTPServer({
  ...tls,
  // Without our certificate, refuse STARTTLS (smtp-server would otherwise answer it with
  // its own bundled certificate) and let the plain-text test still log in.
  ...(tls ? {} : { disabledCommands: ['STARTTLS'] }),
  allowInsecureAuth: !tls,
  authMethods: ['PLAIN', 'LOGIN'],
  onAuth(auth, _session, callback) {
    if (auth.username === process.env.SMTP_USER && auth.password === process.env.SMTP_PASS) callback(null, { user: auth.username });
    else callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const n = ++count;
      writeFileSync(path.join(out, `${n}.eml`), Buffer.concat(chunks));
      writeFileSync(
        path.join(out, `${n}.json`),
        JSON.stringify({ secure: session.secure, user: session.user, from: session.envelope.mailFrom, to: session.envelope.rcptTo.map((r) => r.address) }),
      );
      callback();
    });
  },
});

server.on('error', (err) => console.error(`smtp-peer: ${err.message}`));
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
