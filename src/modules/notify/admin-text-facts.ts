// What the admin texts are told, and the helpers both catalogues format it with.
import { escapeHtml } from '../../shared/html.ts';
import type { CatchUpFigures } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import { clip } from '../telegram/telegram-limits.ts';
import type { ShopFacts } from './admin-shop-texts.ts';

/** A field from a mail or a user: clipped to `max` characters with an ellipsis, then escaped. */
export const field = (text: string | null, max: number) => escapeHtml(clip(text ?? '—', max));
export const minutes = (ms: number) => Math.round(ms / 60_000);
export const rate = (part: number, whole: number) =>
  whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`;

export type AdminDecision = 'approve' | 'reject' | 'refund';

export interface ReviewCardFacts {
  paymentId: number;
  reason: string;
  provider: string | null;
  amountFen: number;
  payer: string | null;
  memo: string | null;
  time: string;
  orderNo: string | null;
  /** The shop of the order, when a shop made it (EPay). */
  shop: ShopFacts | null;
}

/** `orders*`: the orders Telegram customers made; `shopOrders*`: those shops made (EPay). */
export interface PeriodFigures {
  ordersCreated: number;
  ordersPaid: number;
  ordersExpired: number;
  shopOrdersCreated: number;
  shopOrdersPaid: number;
  shopOrdersExpired: number;
  paymentsMatched: number;
  paymentsAutoMatched: number;
  paymentsInReview: number;
  paymentsRejected: number;
  paymentsRefunded: number;
  payments: number;
  receivedFen: number;
  creditedFen: number;
}

/** Whether shops made, were paid for or let expire any order in the period (their line is shown then). */
export const hasShopOrders = (f: PeriodFigures) =>
  f.shopOrdersCreated + f.shopOrdersPaid + f.shopOrdersExpired > 0;

export interface HealthFacts {
  mailboxState: string;
  /** Why the mailbox is not connected, when known. */
  mailboxProblem: MailboxProblemKind | null;
  /** The catch-up of the mailbox under way, if any. */
  catchUp: CatchUpFigures | null;
  lastMessageAt: string | null;
  outboxPending: number;
  outboxOldestMinutes: number | null;
  outboxFailed: number;
  reviewQueue: number;
  ledgerMismatches: readonly number[];
  ordersPaidTwice: readonly string[];
  /** The forwarder webhook, when it is on: its last payment notification and its refusals by reason. */
  forwarder: { lastNotificationAt: string | null; refused: Readonly<Record<string, number>> } | null;
  /** Alarm names (`unparsed`, `silence`); each catalogue says them in words. */
  activeAlarms: readonly string[];
}

export interface ReportFacts extends HealthFacts {
  period: PeriodFigures;
  medianLatencySeconds: number | null;
  worstLatencySeconds: number | null;
  failedMessages: number;
}
