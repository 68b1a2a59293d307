// Admin notice windows: how many notices of a kind went out and were held back in the current window.
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { adminNoticeWindows } from '../../shared/db/schema.ts';
import type { NoticeKind, NoticeWindow } from './notice-throttle.ts';

export interface HeldNotices {
  kind: NoticeKind;
  subject: string;
  window: NoticeWindow;
}

const toWindow = (row: typeof adminNoticeWindows.$inferSelect): NoticeWindow => ({
  endsAt: row.windowEndsAt,
  sent: row.sent,
  held: row.held,
});

export function createNoticesRepository({ db }: { db: Db }) {
  const of = (kind: NoticeKind, subject: string) =>
    and(eq(adminNoticeWindows.kind, kind), eq(adminNoticeWindows.subject, subject));
  return {
    /** The window of `kind` and `subject`, locked until the transaction ends (created when there is none). */
    async lock(kind: NoticeKind, subject: string, empty: NoticeWindow): Promise<NoticeWindow> {
      await db
        .insert(adminNoticeWindows)
        .values({ kind, subject, windowEndsAt: empty.endsAt, sent: empty.sent, held: empty.held })
        .onConflictDoNothing();
      const [row] = await db.select().from(adminNoticeWindows).where(of(kind, subject)).for('update');
      return row ? toWindow(row) : empty;
    },

    async save(kind: NoticeKind, subject: string, window: NoticeWindow): Promise<void> {
      await db
        .update(adminNoticeWindows)
        .set({ windowEndsAt: window.endsAt, sent: window.sent, held: window.held })
        .where(of(kind, subject));
    },

    /** Windows that ended holding notices back, locked; another process summarising skips them. */
    async endedHolding(now: Date): Promise<HeldNotices[]> {
      const rows = await db
        .select()
        .from(adminNoticeWindows)
        .where(and(gt(adminNoticeWindows.held, 0), lte(adminNoticeWindows.windowEndsAt, now)))
        .for('update', { skipLocked: true });
      return rows.map((row) => ({
        kind: row.kind as NoticeKind,
        subject: row.subject,
        window: toWindow(row),
      }));
    },
  };
}
