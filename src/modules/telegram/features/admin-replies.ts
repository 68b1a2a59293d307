// The admins' answers to a review decision that did not go through: a message, or a short toast.
import { assertNever } from '../../../shared/result.ts';
import type { AdminTexts } from '../../notify/admin-texts.ts';
import type { ReviewOutcome } from '../../review/review-payment.ts';

type Refusal = Exclude<ReviewOutcome, { kind: 'decided' }>;

export function explain(texts: AdminTexts, outcome: Refusal): string {
  switch (outcome.kind) {
    case 'not_this_card':
      return texts.notThisCard;
    case 'payment_not_found':
      return texts.paymentNotFound;
    case 'already_decided':
      return texts.alreadyDecided(outcome.status, outcome.decidedBy);
    case 'needs_target':
      return texts.needsTarget(outcome.paymentId);
    case 'order_not_found':
      return texts.orderNotFound(outcome.orderNo);
    case 'order_not_creditable':
      return texts.orderNotCreditable(outcome.orderNo, outcome.status);
    case 'customer_not_found':
      return texts.customerNotFound(outcome.id);
    case 'transaction_already_credited':
      return texts.transactionAlreadyCredited(outcome.transactionId, outcome.creditedPaymentId);
    default:
      return assertNever(outcome);
  }
}

/** Toasts are plain text, at most 200 characters. */
export function toast(texts: AdminTexts, outcome: Refusal): string {
  return explain(texts, outcome)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .slice(0, 200);
}
