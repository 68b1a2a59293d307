// Self-test for the private Dovecot harness: append, restart, recreate, dispose.
import { existsSync } from 'node:fs';
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type TestDovecot } from './support/dovecot.ts';

function rawMail(subject: string): string {
  return [
    'From: payer@example.com',
    'To: me@example.org',
    `Subject: ${subject}`,
    `Message-ID: <${subject}@example.com>`,
    '',
    `body of ${subject}`,
    '',
  ].join('\r\n');
}

function connect(d: TestDovecot): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: d.host,
    port: d.port,
    secure: false,
    auth: { user: d.user, pass: d.password },
    logger: false,
  });
  return client.connect().then(() => client);
}

async function readInbox(
  d: TestDovecot,
): Promise<{ uidValidity: bigint; messages: { uid: number; subject: string }[] }> {
  const client = await connect(d);
  try {
    const mb = await client.mailboxOpen('INBOX');
    const messages =
      mb.exists === 0
        ? []
        : (await client.fetchAll('1:*', { uid: true, envelope: true })).map((m) => ({
            uid: m.uid,
            subject: m.envelope?.subject ?? '',
          }));
    return { uidValidity: mb.uidValidity, messages };
  } finally {
    await client.logout();
  }
}

function connectError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(undefined);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

describe('test Dovecot', () => {
  let d: TestDovecot;

  beforeAll(async () => {
    d = await startDovecot({ user: 'alice', password: 's3cret' });
  });

  afterAll(async () => {
    await d?.dispose();
  });

  it('appends mail and serves it over IMAP with increasing UIDs', async () => {
    const uid1 = await d.append(rawMail('first'));
    const uid2 = await d.append(Buffer.from(rawMail('second')));
    expect(uid2).toBeGreaterThan(uid1);

    const inbox = await readInbox(d);
    expect(inbox.messages).toEqual([
      { uid: uid1, subject: 'first' },
      { uid: uid2, subject: 'second' },
    ]);
  });

  it('rejects a wrong password', async () => {
    const client = new ImapFlow({
      host: d.host,
      port: d.port,
      secure: false,
      auth: { user: d.user, pass: 'nope' },
      logger: false,
    });
    await expect(client.connect()).rejects.toThrow();
  });

  it('drops connected clients on stop, refuses connections, and keeps mail across restart', async () => {
    const before = await readInbox(d);
    const client = await connect(d);
    await client.mailboxOpen('INBOX');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    await d.stop();
    await closed;
    expect(await connectError(d.host, d.port)).toBe('ECONNREFUSED');

    await d.start();
    const after = await readInbox(d);
    expect(after).toEqual(before);
  });

  it('recreateMailbox empties INBOX and changes UIDVALIDITY', async () => {
    const before = await readInbox(d);
    expect(before.messages.length).toBeGreaterThan(0);

    await d.recreateMailbox();
    const after = await readInbox(d);
    expect(after.messages).toEqual([]);
    expect(after.uidValidity).not.toBe(before.uidValidity);

    const uid = await d.append(rawMail('third'));
    expect((await readInbox(d)).messages).toEqual([{ uid, subject: 'third' }]);
  });

  it('recreateMailbox works for a non-INBOX mailbox too', async () => {
    await d.recreateMailbox('Payments');
    await d.append(rawMail('p1'), 'Payments');
    const client = await connect(d);
    try {
      const first = await client.mailboxOpen('Payments');
      expect(first.exists).toBe(1);
      await client.mailboxClose();
      await d.recreateMailbox('Payments');
      const second = await client.mailboxOpen('Payments');
      expect(second.exists).toBe(0);
      expect(second.uidValidity).not.toBe(first.uidValidity);
    } finally {
      await client.logout();
    }
  });

  it('runs several instances side by side and removes the temp dir on dispose', async () => {
    const other = await startDovecot();
    try {
      expect(other.port).not.toBe(d.port);
      await other.append(rawMail('elsewhere'));
      expect((await readInbox(other)).messages.map((m) => m.subject)).toEqual(['elsewhere']);
      expect((await readInbox(d)).messages.map((m) => m.subject)).not.toContain('elsewhere');
    } finally {
      await other.dispose();
    }
    expect(await connectError(other.host, other.port)).toBe('ECONNREFUSED');
    expect(existsSync(other.dir)).toBe(false);
  });
});
