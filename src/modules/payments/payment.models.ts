// Payments in the domain: what a notification said, whether it was authenticated, and what became of it.

/** `held`: its DKIM key could not be looked up yet; an `auth_holds` row keeps the message for another try. */
export const PAYMENT_STATUSES = [
  'matched',
  'review',
  'ignored',
  'failed',
  'rejected',
  'refunded',
  'held',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Payment {
  id: number;
  /** The identity of the message it was read from (Message-ID, or a digest of the raw message). */
  messageKey: string;
  receivedAt: Date | null;
  processedAt: Date;
  provider: string | null;
  /** Null when the message was no payment (ignored, failed). */
  amountFen: number | null;
  payer: string | null;
  memo: string | null;
  transactionId: string | null;
  /** The time the notification itself gives. */
  notifiedAt: Date | null;
  /** Equal only when every field of the notification repeats (duplicates.ts). */
  fingerprint: string | null;
  /** `pass`, `fail`, `temperror`, …: only `pass` is credited automatically. */
  authResult: string;
  status: PaymentStatus;
  reviewReason: string | null;
  orderId: number | null;
  detail: unknown;
  /** The admin (Telegram user id) who settled it from review, and when. */
  decidedBy: number | null;
  decidedAt: Date | null;
}
