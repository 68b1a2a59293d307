// The watcher's position in a mailbox: (UIDVALIDITY, last UID), moved in the transaction of each outcome.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../shared/db/database.ts';
import { mailboxCursors } from '../../../shared/db/schema.ts';
import type { MailboxCursor } from './imap-cursor.ts';

export function createCursorRepository({ db }: { db: Db }) {
  return {
    async read(mailbox: string): Promise<MailboxCursor | null> {
      const [row] = await db.select().from(mailboxCursors).where(eq(mailboxCursors.mailbox, mailbox));
      return row ? { uidValidity: row.uidValidity, lastUid: row.lastUid } : null;
    },

    /** Moves forward only: a late or concurrent writer never moves the cursor back. */
    async advance(mailbox: string, uidValidity: bigint, uid: number): Promise<void> {
      await db
        .insert(mailboxCursors)
        .values({ mailbox, uidValidity, lastUid: uid })
        .onConflictDoUpdate({
          target: mailboxCursors.mailbox,
          set: { lastUid: sql`greatest(${mailboxCursors.lastUid}, ${uid})`, updatedAt: sql`now()` },
          setWhere: eq(mailboxCursors.uidValidity, uidValidity),
        });
    },

    /** Starts a mailbox (first start) or starts it again under a new UIDVALIDITY. */
    async reset(mailbox: string, uidValidity: bigint, lastUid: number): Promise<void> {
      await db
        .insert(mailboxCursors)
        .values({ mailbox, uidValidity, lastUid })
        .onConflictDoUpdate({
          target: mailboxCursors.mailbox,
          set: { uidValidity, lastUid, updatedAt: sql`now()` },
        });
    },
  };
}
