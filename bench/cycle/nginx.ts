/**
 * A private nginx (Debian's package) serving a folder on 127.0.0.1: its own config,
 * prefix and pid file in a temp folder, run in the foreground as a child process and
 * killed at the end. ETag and Last-Modified are nginx's own (on for static files).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export interface Nginx {
  port: number;
  origin: string;
  stop(): Promise<void>;
}

const NGINX = '/usr/sbin/nginx';

/** A port that was free a moment ago (nginx cannot be told to pick one and report it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function config(dir: string, docRoot: string, port: number): string {
  return `# written by bench/cycle/nginx.ts
worker_processes 2;
# The master runs as root here; serving as root avoids permission surprises on temp folders.
user root;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; text/plain txt; }
  default_type application/octet-stream;
  sendfile on;
  etag on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${docRoot};
  }
}
`;
}

export async function startNginx(dir: string, docRoot: string): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} not found: run scripts/ensure-debian.sh (as root) to install nginx`);
  chmodSync(dir, 0o755);
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, config(dir, docRoot, port));
    const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 10_000;
    while (!exited && Date.now() < deadline && !(await canConnect(port))) await new Promise((r) => setTimeout(r, 50));
    if (!exited && (await canConnect(port))) {
      return {
        port,
        origin: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((resolve) => {
            if (exited) return resolve();
            child.once('exit', () => resolve());
            // SIGTERM is nginx's fast shutdown: master and workers exit.
            child.kill('SIGTERM');
          }),
      };
    }
    child.kill('SIGKILL');
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    lastError = `${stderr}${log}`.trim().split('\n').slice(-3).join(' | ');
    // Another process may have taken the port between freePort() and nginx's bind: try another.
    if (!/Address already in use/.test(lastError)) break;
  }
  throw new Error(`nginx did not start (config ${join(dir, 'nginx.conf')}): ${lastError || 'no output'}`);
}
