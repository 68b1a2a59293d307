// Private, throw-away Dovecot IMAP server for integration tests (own config, ports and Maildir).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { bindable, freePort } from './free-port.ts';

const execFileAsync = promisify(execFile);

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';

export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Temp dir holding dovecot.conf, dovecot.log and the Maildir (gone after dispose). */
  dir: string;
  /** APPENDs over IMAP, the way mail arrives in production; resolves to the new UID. */
  append(raw: Buffer | string, mailbox?: string): Promise<number>;
  /** APPENDs many messages over one connection (a backlog in seconds, not minutes); resolves to the last UID. */
  appendAll(raws: ReadonlyArray<Buffer | string>, mailbox?: string): Promise<number>;
  /** Stops the server: the port closes and connected clients see the connection drop. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same Maildir. */
  start(): Promise<void>;
  /** Deletes and creates the mailbox again, so it is empty and has a new UIDVALIDITY. */
  recreateMailbox(mailbox?: string): Promise<void>;
  /** Stops the server and removes its temp dir. */
  dispose(): Promise<void>;
}

export async function startDovecot(
  options: {
    user?: string;
    password?: string /** Appended to dovecot.conf (e.g. a capability list without IDLE). */;
    extraConfig?: string;
  } = {},
): Promise<TestDovecot> {
  if (!existsSync(DOVECOT)) {
    throw new Error(`Dovecot not found at ${DOVECOT}: run \`apt-get install -y dovecot-imapd\``);
  }
  const user = options.user ?? 'tester';
  const password = options.password ?? 'test-password';
  // Dovecot's static passdb args are space-separated key=value pairs; keep values unambiguous.
  if (/[\s"'\\]/.test(user) || /[\s"'\\]/.test(password)) {
    throw new Error('test Dovecot user/password must not contain whitespace, quotes or backslashes');
  }

  const host = '127.0.0.1';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailpay-dovecot-'));
  // The imap process runs as the dovecot user and must traverse the temp dir to reach the Maildir.
  await chmod(dir, 0o755);
  const mailDir = path.join(dir, 'mail');
  const homeDir = path.join(dir, 'home');
  const confPath = path.join(dir, 'dovecot.conf');
  const logPath = path.join(dir, 'dovecot.log');
  const baseDir = path.join(dir, 'run');
  const port = await freePort();

  try {
    await mkdir(path.join(dir, 'state'), { recursive: true });
    await mkdir(mailDir, { recursive: true });
    await mkdir(homeDir, { recursive: true });
    const { uid, gid } = await dovecotIds();
    await chown(mailDir, uid, gid);
    await chown(homeDir, uid, gid);
    await writeFile(
      confPath,
      renderConfig({ dir, port, password, baseDir, logPath, mailDir, homeDir }) + (options.extraConfig ?? ''),
    );
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  let disposed = false;

  const doveadm = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync(DOVEADM, ['-c', confPath, ...args]);
    return stdout;
  };

  let master: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let killOnExit = (): void => undefined;

  const start = async (): Promise<void> => {
    if (disposed) throw new Error('test Dovecot already disposed');
    if (master) return;
    // Foreground (-F) keeps the master our child: we know its pid and reap it, instead of leaving a
    // zombie under a container PID 1 that may never wait() for it.
    const out = await open(path.join(dir, 'dovecot.stderr'), 'a');
    // detached: own process group, so stop() can also reach imap processes that outlive the master.
    const child = spawn(DOVECOT, ['-F', '-c', confPath], {
      stdio: ['ignore', out.fd, out.fd],
      detached: true,
    });
    await out.close();
    child.unref();
    master = child;
    // A crashed or forgetful test run must not leave a detached Dovecot behind.
    killOnExit = () => signalGroup(child.pid, 'SIGKILL');
    process.on('exit', killOnExit);
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`dovecot exited early (code ${code}, signal ${signal})`)),
      );
    });
    failed.catch(() => undefined);
    try {
      await Promise.race([waitForGreeting(host, port, 15_000), failed]);
    } catch (err) {
      signalGroup(child.pid, 'SIGKILL');
      await exited;
      process.off('exit', killOnExit);
      master = undefined;
      const log = await readFile(logPath, 'utf8').catch(() => '');
      const stderr = await readFile(path.join(dir, 'dovecot.stderr'), 'utf8').catch(() => '');
      throw new Error(
        `test Dovecot failed to start: ${(err as Error).message}\n${stderr}\n--- ${logPath}\n${log}`,
      );
    }
  };

  const stop = async (): Promise<void> => {
    const child = master;
    if (!child?.pid) return;
    const group = child.pid;
    signalGroup(group, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(group, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    // A logged-in imap process can outlive the master (seen lingering ~10 s before its client saw
    // the drop), so finish off whatever is left of the group.
    signalGroup(group, 'SIGKILL');
    process.off('exit', killOnExit);
    await waitForPortFree(host, port, 10_000);
    master = undefined;
  };

  const appendAll = async (raws: ReadonlyArray<Buffer | string>, mailbox = 'INBOX'): Promise<number> => {
    const client = new ImapFlow({ host, port, secure: false, auth: { user, pass: password }, logger: false });
    await client.connect();
    try {
      let uid = 0;
      for (const raw of raws) {
        const res = await client.append(mailbox, raw);
        if (!res || typeof res.uid !== 'number') {
          throw new Error(`APPEND to ${mailbox} returned no UID (server lacks UIDPLUS?)`);
        }
        uid = res.uid;
      }
      return uid;
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  const append = (raw: Buffer | string, mailbox = 'INBOX'): Promise<number> => appendAll([raw], mailbox);

  const recreateMailbox = async (mailbox = 'INBOX'): Promise<void> => {
    if (mailbox.toUpperCase() === 'INBOX') {
      // INBOX cannot be deleted, so do what a delete + create would leave: no mail, a new UIDVALIDITY.
      const status = await doveadm('-f', 'flow', 'mailbox', 'status', '-u', user, 'uidvalidity', mailbox);
      const old = Number(/uidvalidity=(\d+)/.exec(status)?.[1] ?? 0);
      await doveadm('expunge', '-u', user, 'mailbox', mailbox, 'all');
      const next = Math.max(old + 1, Math.floor(Date.now() / 1000));
      await doveadm('mailbox', 'update', '-u', user, '--uid-validity', String(next), mailbox);
    } else {
      await doveadm('mailbox', 'delete', '-u', user, mailbox).catch(() => undefined);
      await doveadm('mailbox', 'create', '-u', user, mailbox);
    }
  };

  const dispose = async (): Promise<void> => {
    if (disposed) return;
    try {
      await stop();
    } finally {
      disposed = true;
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    await start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  return { host, port, user, password, dir, append, appendAll, stop, start, recreateMailbox, dispose };
}

interface ConfigInput {
  dir: string;
  port: number;
  password: string;
  baseDir: string;
  logPath: string;
  mailDir: string;
  homeDir: string;
}

function renderConfig(c: ConfigInput): string {
  // Self-contained: nothing is included from /etc/dovecot, so the system instance is never involved.
  return `# generated by test/support/dovecot.ts
base_dir = ${c.baseDir}
state_dir = ${path.join(c.dir, 'state')}
log_path = ${c.logPath}
info_log_path = ${c.logPath}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${c.mailDir}/%u
# Running as root: these users exist in the dovecot-imapd package.
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
# Durability is pointless in a throw-away temp dir; skipping fsync keeps tests fast.
mail_fsync = never
# No metrics needed; a login process caught mid-startup by stop() would otherwise wait 5 s for
# the already-stopped stats service.
stats_writer_socket_path =
# A wrong-password test should not cost the default 2 s.
auth_failure_delay = 0
passdb {
  driver = static
  args = password=${c.password}
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${c.homeDir}/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${c.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

async function dovecotIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('dovecot:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) throw new Error('system user "dovecot" not found (install dovecot-core)');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

// Ready means a full greeting, not just an accepted TCP connection: a login process still starting
// up when stop() comes in waits 5 s for the already-stopped auth/config services.
function greets(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    let greeted = false;
    sock.setTimeout(5_000, () => sock.destroy());
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      if (!greeted && buf.includes('\r\n')) {
        greeted = buf.startsWith('* OK');
        sock.write('z LOGOUT\r\n');
      }
    });
    sock.once('error', () => undefined);
    sock.once('close', () => resolve(greeted));
  });
}

async function waitForGreeting(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await greets(host, port))) {
    if (Date.now() > deadline) throw new Error(`no IMAP greeting on port ${port} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

// Probe by binding, not connecting: a probe connection sits in the listen backlog and makes the
// stopping master spawn a fresh login process, which keeps the port open for seconds.
async function waitForPortFree(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await bindable(port, host))) {
    if (Date.now() > deadline) throw new Error(`port ${port} still in use after ${timeoutMs} ms`);
    await sleep(50);
  }
}

function signalGroup(leaderPid: number | undefined, signal: NodeJS.Signals): void {
  // Never let a missing pid become kill(0) or kill(-0): that would signal our own process group.
  if (!leaderPid || leaderPid <= 1) return;
  try {
    process.kill(-leaderPid, signal);
  } catch {
    // group already empty
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
