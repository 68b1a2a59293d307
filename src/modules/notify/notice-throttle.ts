// Floods of admin notices become summaries: past a few notices of a kind in a window, the rest are held
// and counted, and one summary of them goes out when the window ends.

export type NoticeKind =
  | 'unauthenticated_card'
  | 'delivery_failed'
  | 'amount_window_full'
  | 'web_delivery_failed';

export interface NoticePolicy {
  /** Notices sent one by one in a window; the rest are held for the summary. */
  perWindow: number;
  windowMs: number;
}

/** `floodPerMinute`: ADMIN_FLOOD_PER_MINUTE. */
export function noticePolicy(kind: NoticeKind, floodPerMinute: number): NoticePolicy {
  // Per amount: one alarm, then one "still full" summary per window while refusals go on.
  if (kind === 'amount_window_full') return { perWindow: 1, windowMs: 15 * 60_000 };
  // Anyone can mail the mailbox, and a broadcast meets customers who blocked the bot: neither may bury
  // the admins' chat.
  return { perWindow: floodPerMinute, windowMs: 60_000 };
}

export interface NoticeWindow {
  endsAt: Date;
  sent: number;
  held: number;
}

/** A kind (and subject) with no notice yet: its first window starts with the first notice. */
export const NO_WINDOW: NoticeWindow = { endsAt: new Date(0), sent: 0, held: 0 };

/**
 * Closes the window once it has ended, saying how many notices it held (to summarise). A window that held
 * notices is followed by one that sends none one by one: while a flood goes on, only summaries go out.
 */
export function rollOver(
  window: NoticeWindow,
  now: Date,
  policy: NoticePolicy,
): { window: NoticeWindow; summarised: number } {
  if (now.getTime() < window.endsAt.getTime()) return { window, summarised: 0 };
  const endsAt = new Date(now.getTime() + policy.windowMs);
  if (window.held > 0)
    return { window: { endsAt, sent: policy.perWindow, held: 0 }, summarised: window.held };
  return { window: { endsAt, sent: 0, held: 0 }, summarised: 0 };
}

/** One more notice at `now`: whether it goes out by itself (else it is held), and what a closed window held. */
export function admitNotice(
  window: NoticeWindow,
  now: Date,
  policy: NoticePolicy,
): { send: boolean; summarised: number; window: NoticeWindow } {
  const { window: current, summarised } = rollOver(window, now, policy);
  if (current.sent < policy.perWindow) {
    return { send: true, summarised, window: { ...current, sent: current.sent + 1 } };
  }
  return { send: false, summarised, window: { ...current, held: current.held + 1 } };
}
