// What a signed forwarder request says: a payment read by the same rules as a forwarded mail, a message to
// ignore (another app, or no payment), or a payment-looking notification no rule reads.
import type {
  NotificationParse,
  PaymentNotification,
} from '../../payments/notification/parse-notification.ts';
import { parseNotification } from '../../payments/notification/parse-notification.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import type { ForwarderRequest } from './forwarder-request.ts';

/** The apps whose notifications can be payments: anything else is recorded as no payment. */
export const PAYMENT_APPS: ReadonlySet<string> = new Set(['com.eg.android.AlipayGphone', 'com.tencent.mm']);

export type ForwardedReading =
  | { kind: 'payment'; payment: PaymentNotification }
  | { kind: 'ignored'; parseKind: 'not_payment' }
  | { kind: 'unparsed'; reason: string };

/**
 * Reads the content as the mail route reads a forwarded mail: the package is the subject (as the forwarder
 * mails it), the content the body in the forwarder's layout; there is no mail sender.
 */
export function readForwarded(
  request: ForwarderRequest,
  rules: readonly NotificationRule[],
): ForwardedReading {
  if (!PAYMENT_APPS.has(request.from)) return { kind: 'ignored', parseKind: 'not_payment' };
  const parse: NotificationParse = parseNotification(
    { fromAddress: '', subject: request.from, text: request.content },
    rules,
  );
  if (parse.kind === 'payment') return { kind: 'payment', payment: parse };
  if (parse.kind === 'unparsed') return parse;
  return { kind: 'ignored', parseKind: 'not_payment' };
}
