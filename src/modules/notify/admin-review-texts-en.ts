// Review cards for the admins in English: the same keys as the Chinese ones (admin-review-texts.ts).
import { bold, code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { ReviewReason } from '../payments/matching.ts';
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import type { AdminReviewTexts } from './admin-review-texts.ts';
import { enShopTexts } from './admin-shop-texts.ts';
import { type AdminDecision, field } from './admin-text-facts.ts';

const reviewReasonWords: Record<ReviewReason, string> = {
  unauthenticated: 'not authenticated (possibly forged)',
  suspected_duplicate: 'suspected repeat of a notification',
  auth_unavailable:
    'mail authentication could not be completed (the DKIM key could not be looked up for 30 minutes)',
  unclear_notification:
    'the notification reads more than one way (two rules or two amounts): compare with the original',
  amount_mismatch: 'amount differs from the order',
  provider_mismatch: 'paid to the other provider’s QR code than the order’s',
  late: 'order expired or cancelled',
  already_paid: 'order already paid',
  ambiguous: 'several orders fit',
  unmatched: 'no matching order',
};

const decisionWords: Record<AdminDecision, string> = {
  approve: '✅ Approved and credited',
  reject: '❌ Rejected',
  refund: '↩️ Marked as returned to the payer',
};

const providerName = (provider: string | null) =>
  provider === 'wechat'
    ? 'WeChat Pay'
    : provider === 'alipay'
      ? 'Alipay'
      : field(provider, FIELD_LIMITS.name);

export const enReviewTexts: AdminReviewTexts = {
  reviewReason: (reason) => (reviewReasonWords as Record<string, string | undefined>)[reason] ?? reason,
  review: (p) =>
    [
      `🔎 Payment #${p.paymentId} needs a check by hand: ${escapeHtml(enReviewTexts.reviewReason(p.reason))}`,
      `Amount: ${bold(formatYuan(p.amountFen))} (${providerName(p.provider)})`,
      `Payer: ${field(p.payer, FIELD_LIMITS.name)}`,
      `Note: ${field(p.memo, FIELD_LIMITS.memo)}`,
      `Time: ${escapeHtml(p.time)}`,
      p.orderNo ? `Order: ${code(p.orderNo)}` : '',
      p.shop ? enShopTexts.shopLine(p.shop) : '',
    ]
      .filter(Boolean)
      .join('\n'),
  approveButton: (orderNo) => (orderNo ? `✅ Approve (credit ${orderNo})` : '✅ Approve'),
  candidateButton: (orderNo, payableFen, status) =>
    `✅ Credit ${orderNo} (${formatYuan(payableFen)}${status === 'pending' ? '' : ', expired'})`,
  rejectButton: '❌ Reject',
  refundButton: '↩️ Returned to payer',
  decided: (p) =>
    [
      `${decisionWords[p.decision]}: ${field(p.by, FIELD_LIMITS.name)}, ${escapeHtml(p.at)}`,
      p.decision === 'approve'
        ? `Credited ${bold(formatYuan(p.amountFen))} → ${p.orderNo ? `order ${code(p.orderNo)}` : `customer ${p.customerId}`}`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  failure: (p) =>
    [
      `⚠️ Mail #${p.paymentId} could not be processed (${field(p.reason, FIELD_LIMITS.error)})`,
      `Subject: ${field(p.subject || '—', FIELD_LIMITS.subject)}`,
      p.snippet ? `Content: ${field(p.snippet, FIELD_LIMITS.snippet)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
};
