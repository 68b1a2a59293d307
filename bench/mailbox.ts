// Bench helpers for the mailbox: one persistent connection that appends many messages quickly, and a bare
// IDLE client on the same mailbox as the floor any IMAP watcher can reach.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { TestDovecot } from '../test/support/dovecot.ts';

async function connect(dovecot: TestDovecot, extra: Partial<ImapFlowOptions> = {}) {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
    ...extra,
  });
  await client.connect();
  return client;
}

export async function openAppender(dovecot: TestDovecot, mailbox = 'INBOX') {
  const client = await connect(dovecot);
  if (mailbox !== 'INBOX') await client.mailboxCreate(mailbox);
  return {
    /** Resolves when the server has stored the message (the APPEND's tagged OK). */
    append: async (raw: Buffer) => {
      await client.append(mailbox, raw);
    },
    /** Moves everything appended so far into INBOX with one MOVE: a backlog that arrives all at once. */
    release: async () => {
      const lock = await client.getMailboxLock(mailbox);
      try {
        await client.messageMove('1:*', 'INBOX');
      } finally {
        lock.release();
      }
    },
    close: () => client.logout(),
  };
}

export async function openIdleProbe(dovecot: TestDovecot) {
  const client = await connect(dovecot, { autoIdleDelay: 0 });
  const arrivals: number[] = [];
  client.on('exists', () => arrivals.push(Date.now()));
  await client.mailboxOpen('INBOX');
  return { arrivals, close: () => client.logout() };
}
