// Review cards for the admins in Chinese: why a payment waits, its card and buttons, the decision made.
import { bold, code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { ReviewReason } from '../payments/matching.ts';
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import { zhShopTexts } from './admin-shop-texts.ts';
import { type AdminDecision, field, type ReviewCardFacts } from './admin-text-facts.ts';

const reviewReasonWords: Record<ReviewReason, string> = {
  unauthenticated: '未通过邮件认证（可能伪造）',
  auth_unavailable: '无法完成邮件认证（DKIM 密钥 30 分钟内一直查询失败）',
  suspected_duplicate: '疑似重复通知',
  unclear_notification: '通知可有多种读法（两条规则或两个金额），请对照原文',
  amount_mismatch: '金额与订单不符',
  provider_mismatch: '付款渠道与订单不符（付到了另一个收款码）',
  late: '订单已过期或已取消',
  already_paid: '订单已支付',
  ambiguous: '有多个订单符合',
  unmatched: '没有对应的订单',
};

const decisionWords: Record<AdminDecision, string> = {
  approve: '✅ 已批准入账',
  reject: '❌ 已拒绝',
  refund: '↩️ 已标记为退回付款人',
};

const providerName = (provider: string | null) =>
  provider === 'wechat' ? '微信' : provider === 'alipay' ? '支付宝' : field(provider, FIELD_LIMITS.name);

export const zhReviewTexts = {
  reviewReason: (reason: string) =>
    (reviewReasonWords as Record<string, string | undefined>)[reason] ?? reason,
  review: (p: ReviewCardFacts) =>
    [
      `🔎 付款 #${p.paymentId} 需要人工核对：${escapeHtml(zhReviewTexts.reviewReason(p.reason))}`,
      `金额：${bold(formatYuan(p.amountFen))}（${providerName(p.provider)}）`,
      `付款人：${field(p.payer, FIELD_LIMITS.name)}`,
      `备注：${field(p.memo, FIELD_LIMITS.memo)}`,
      `时间：${escapeHtml(p.time)}`,
      p.orderNo ? `相关订单：${code(p.orderNo)}` : '',
      p.shop ? zhShopTexts.shopLine(p.shop) : '',
    ]
      .filter(Boolean)
      .join('\n'),
  approveButton: (orderNo: string | null) => (orderNo ? `✅ 批准（入账到 ${orderNo}）` : '✅ 批准'),
  candidateButton: (orderNo: string, payableFen: number, status: string) =>
    `✅ 入账到 ${orderNo}（${formatYuan(payableFen)}${status === 'pending' ? '' : '，已过期'}）`,
  rejectButton: '❌ 拒绝',
  refundButton: '↩️ 已退回付款人',
  decided: (p: {
    decision: AdminDecision;
    by: string;
    at: string;
    orderNo: string | null;
    customerId: number | null;
    amountFen: number;
  }) =>
    [
      `${decisionWords[p.decision]}：${field(p.by, FIELD_LIMITS.name)}，${escapeHtml(p.at)}`,
      p.decision === 'approve'
        ? `入账 ${bold(formatYuan(p.amountFen))} → ${p.orderNo ? `订单 ${code(p.orderNo)}` : `用户 ${p.customerId}`}`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  failure: (p: { paymentId: number; reason: string; subject: string; snippet: string }) =>
    [
      `⚠️ 邮件 #${p.paymentId} 无法处理（${field(p.reason, FIELD_LIMITS.error)}）`,
      `主题：${field(p.subject || '—', FIELD_LIMITS.subject)}`,
      p.snippet ? `内容：${field(p.snippet, FIELD_LIMITS.snippet)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
};

export type AdminReviewTexts = typeof zhReviewTexts;
