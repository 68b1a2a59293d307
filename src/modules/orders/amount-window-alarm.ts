// The admins' alarm when every payable amount of a requested amount is held by a pending order.
import type { Store } from '../../shared/db/store.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { admitAdminNotice } from '../notify/admin-notices.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';

/**
 * Squatting, or more demand than the window serves. The admins hear of it once per amount and window,
 * then in summaries (the outbox loop sends them within a second; no need to wake it).
 */
export async function alarmWindowFull(
  store: Store,
  alarm: { admins: AdminAudience; floodPerMinute: number },
  window: { requestedFen: number; amounts: readonly number[]; now: Date },
): Promise<void> {
  const admitted = await admitAdminNotice(store, {
    kind: 'amount_window_full',
    subject: String(window.requestedFen),
    admins: alarm.admins,
    floodPerMinute: alarm.floodPerMinute,
    now: window.now,
  });
  if (!admitted) return;
  const lowestFen = Math.min(...window.amounts);
  const highestFen = Math.max(...window.amounts);
  await notifyAdmins(store, alarm.admins, (texts) =>
    texts.amountWindowFull({ requestedFen: window.requestedFen, lowestFen, highestFen }),
  );
}
