// A notification's fingerprint: equal only when every field of the payment repeats (a forwarder's repeat).
import { createHash } from 'node:crypto';
import type { PaymentNotification } from './notification/parse-notification.ts';

/**
 * Provider, amount, payer, memo, transaction id, notification text and time: a notification whose every
 * field repeats under a new Message-ID is a suspected repeat; any field that differs makes another payment.
 * A digest, so a long memo cannot make it large, and no separator inside a field can make two alike.
 */
export function notificationFingerprint(payment: PaymentNotification): string {
  const fields = [
    payment.provider,
    payment.amountFen,
    payment.payer,
    payment.memo,
    payment.transactionId,
    payment.notificationText,
    payment.time,
  ];
  return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}
