// Throttled admin notices, in the caller's transaction: the first few of a kind in a window go out one by
// one, the rest are held and summarised once the window ends — counted in the database, so the limit holds
// across processes and restarts.

import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { assertNever } from '../../shared/result.ts';
import type { AdminAudience } from './admin-audience.ts';
import type { AdminTexts } from './admin-texts.ts';
import { admitNotice, NO_WINDOW, type NoticeKind, noticePolicy, rollOver } from './notice-throttle.ts';
import { notifyAdmins } from './notify-admins.ts';

/**
 * Whether a notice of `kind` about `subject` may be sent now; when not, it is counted for the window's
 * summary. A summary of the window that has just ended is queued first.
 */
export async function admitAdminNotice(
  store: Store,
  args: {
    kind: NoticeKind;
    subject?: string;
    admins: AdminAudience;
    floodPerMinute: number;
    now: Date;
  },
): Promise<boolean> {
  const subject = args.subject ?? '';
  const policy = noticePolicy(args.kind, args.floodPerMinute);
  const admitted = admitNotice(await store.notices.lock(args.kind, subject, NO_WINDOW), args.now, policy);
  await store.notices.save(args.kind, subject, admitted.window);
  if (admitted.summarised > 0) {
    await notifyAdmins(store, args.admins, (texts) =>
      summaryText(texts, args.kind, subject, admitted.summarised, policy.windowMs),
    );
  }
  return admitted.send;
}

/** Use case: the summaries of windows that ended holding notices (run on a timer, any process). */
export function createSummariseHeldNotices(deps: {
  transaction: Transaction;
  clock: Clock;
  admins: AdminAudience;
  floodPerMinute: number;
  onQueued: () => void;
}) {
  return async function summariseHeldNotices(): Promise<number> {
    const summaries = await deps.transaction(async (store) => {
      const now = deps.clock.now();
      const ended = await store.notices.endedHolding(now);
      for (const { kind, subject, window } of ended) {
        const policy = noticePolicy(kind, deps.floodPerMinute);
        const rolled = rollOver(window, now, policy);
        await store.notices.save(kind, subject, rolled.window);
        await notifyAdmins(store, deps.admins, (texts) =>
          summaryText(texts, kind, subject, rolled.summarised, policy.windowMs),
        );
      }
      return ended.length;
    });
    if (summaries > 0) deps.onQueued();
    return summaries;
  };
}

function summaryText(
  texts: AdminTexts,
  kind: NoticeKind,
  subject: string,
  held: number,
  windowMs: number,
): string {
  const minutes = Math.round(windowMs / 60_000);
  switch (kind) {
    case 'unauthenticated_card':
      return texts.heldUnauthenticatedCards(held, minutes);
    case 'delivery_failed':
      return texts.heldDeliveryFailures(held, minutes);
    case 'web_delivery_failed':
      return texts.heldWebDeliveryFailures(held, minutes);
    case 'amount_window_full':
      return texts.amountWindowStillFull(Number(subject), held, minutes);
    default:
      return assertNever(kind);
  }
}
