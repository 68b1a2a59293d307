// Bench helpers for the mailbox: one persistent IMAP connection that appends many messages quickly.
import { ImapFlow } from 'imapflow';
import type { TestDovecot } from '../test/support/dovecot.ts';

export async function openAppender(dovecot: TestDovecot) {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  await client.connect();
  return {
    /** Resolves when the server has stored the message (the APPEND's tagged OK). */
    append: async (raw: Buffer) => {
      await client.append('INBOX', raw);
    },
    close: () => client.logout(),
  };
}

/** A bare imapflow IDLE client on the same mailbox: the floor any IMAP watcher can reach. */
export async function openIdleProbe(dovecot: TestDovecot) {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
    autoIdleDelay: 0,
  });
  const arrivals: number[] = [];
  client.on('exists', () => arrivals.push(Date.now()));
  await client.connect();
  await client.mailboxOpen('INBOX');
  return { arrivals, close: () => client.logout() };
}
