// A Docket of a test's own: the release binary on a fresh SQLite database and a free port,
// so journeys that need an empty or special database do not depend on each other.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';

const BINARY = join(__dirname, '..', '..', 'target', 'release', 'docket');
const SITE = join(__dirname, '..', '..', 'target', 'site');
const PYTHON = join(__dirname, '..', '..', 'target', 'mail-venv', 'bin', 'python');

export type Docket = {
  url: string;
  /** Runs a `docket` command against this instance's database. */
  cli: (...args: string[]) => string;
  /** Creates a technician account through the command line. */
  createUser: (email: string, password: string, role?: string) => void;
  /** The messages its SMTP server received, decoded enough to read links (with `mail`). */
  mails: () => string[];
  stop: () => Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function waitFor(ready: () => Promise<boolean>, what: string) {
  for (let i = 0; !(await ready().catch(() => false)); i++) {
    if (i > 200) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A real SMTP server (aiosmtpd, installed by .ci/setup.sh test) writing to a maildir. */
async function startSmtp(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'maildir')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(
    () =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    'aiosmtpd',
  );
  return { url: `smtp://127.0.0.1:${port}`, child };
}

export async function startDocket(options: { mail?: boolean } = {}): Promise<Docket> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-e2e-'));
  const port = await freePort();
  const smtp = options.mail ? await startSmtp(dir) : undefined;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dir, 'docket.db')}`,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: SITE,
    DOCKET_SECURE_COOKIES: 'false',
    RUST_LOG: 'warn',
    DOCKET_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(smtp ? { DOCKET_SMTP_URL: smtp.url } : {}),
  };
  const child: ChildProcess = spawn(BINARY, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 'docket');
  const cli = (...args: string[]) => execFileSync(BINARY, args, { env, encoding: 'utf8' });
  return {
    url,
    cli,
    createUser: (email, password, role = 'technician') =>
      void cli('user', 'create', '--email', email, '--password', password, '--name', email.split('@')[0], '--role', role),
    mails: () => {
      const box = join(dir, 'maildir', 'new');
      if (!existsSync(box)) return [];
      return readdirSync(box).sort().map((f) => readFileSync(join(box, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='));
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      smtp?.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The TOTP code (RFC 6238, SHA-1, 6 digits, 30 s) of a base32 secret, `offset` steps away. */
export function totp(secret: string, offset = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c.toUpperCase()).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offset));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[19] & 0x0f;
  return ((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}
