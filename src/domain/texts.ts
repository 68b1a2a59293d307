// Every text the bot sends, one catalogue per language (Chinese by default, English for `en*` users).
import { formatYuan } from './money.ts';

export type Language = 'zh' | 'en';

export function languageOf(telegramLanguageCode: string | null | undefined): Language {
  return telegramLanguageCode?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** Escapes text from e-mails and users before it goes into an HTML-formatted Telegram message. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
const bold = (text: string) => `<b>${escapeHtml(text)}</b>`;

export interface OrderCaptionFacts {
  orderNo: string;
  payableFen: number;
  requestedFen: number;
  expiresAt: string;
  mailboxDelayed: boolean;
}

const zh = {
  help: (min: number, max: number) =>
    [
      '本机器人为您的账户充值：',
      `/recharge 金额 — 创建充值订单（${formatYuan(min)} 至 ${formatYuan(max)}），扫码付款即自动到账`,
      '/recharge — 选择常用金额',
      '/balance — 查看余额',
      '/help — 显示本说明',
    ].join('\n'),
  orderCaption: (o: OrderCaptionFacts) =>
    [
      `订单号：${code(o.orderNo)}（点击复制）`,
      `请支付 ${bold(formatYuan(o.payableFen))}`,
      o.payableFen !== o.requestedFen
        ? `（为区分订单，应付金额与充值金额 ${formatYuan(o.requestedFen)} 略有不同，到账按充值金额计）`
        : '',
      '付款时请在备注中填写订单号，并务必支付上面的准确金额。',
      `请在 ${o.expiresAt} 前完成付款。`,
      o.mailboxDelayed ? '⚠️ 到账通知暂时延迟，付款后到账可能稍慢。' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  cancelButton: '取消订单',
  presetPrompt: '请选择充值金额：',
  credited: (orderNo: string, creditedFen: number, balanceFen: number) =>
    `✅ 订单 ${code(orderNo)} 已到账 ${bold(formatYuan(creditedFen))}，当前余额 ${formatYuan(balanceFen)}。`,
  inReview: (orderNo: string) => `订单 ${code(orderNo)} 的付款正在人工核对，请稍候。`,
  expired: (orderNo: string) => `订单 ${code(orderNo)} 已过期未付款，已关闭。`,
  cancelled: (orderNo: string) => `订单 ${code(orderNo)} 已取消。`,
  balance: (balanceFen: number) => `您的余额：${bold(formatYuan(balanceFen))}`,
  amountInvalid: (min: number, max: number) =>
    `金额无效。请输入 ${formatYuan(min)} 至 ${formatYuan(max)} 之间、最多两位小数的金额，例如 /recharge 10`,
  tooManyPending: (max: number) => `您已有 ${max} 个待付款订单，请先付款或用 /cancel 取消。`,
  amountsBusy: '当前该金额的订单较多，请稍后再试。',
  mailboxDownRefused: '到账通知暂时不可用，暂停接受新订单，请稍后再试。',
  orderNotCancellable: '该订单已无法取消。',
  nothingToCancel: '没有待付款的订单。',
  unknownError: '出了点问题，请稍后再试。',
};

const en: typeof zh = {
  help: (min, max) =>
    [
      'This bot tops up your account:',
      `/recharge AMOUNT — create a top-up order (${formatYuan(min)} to ${formatYuan(max)}); pay by QR code and it is credited automatically`,
      '/recharge — pick a common amount',
      '/balance — show your balance',
      '/help — show this help',
    ].join('\n'),
  orderCaption: (o) =>
    [
      `Order number: ${code(o.orderNo)} (tap to copy)`,
      `Please pay ${bold(formatYuan(o.payableFen))}`,
      o.payableFen !== o.requestedFen
        ? `(the amount to pay differs slightly from ${formatYuan(o.requestedFen)} to tell orders apart; you are credited ${formatYuan(o.requestedFen)})`
        : '',
      'Put the order number in the payment note and pay exactly the amount above.',
      `Please pay before ${o.expiresAt}.`,
      o.mailboxDelayed ? '⚠️ Payment notifications are delayed right now; crediting may take longer.' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  cancelButton: 'Cancel order',
  presetPrompt: 'Choose an amount:',
  credited: (orderNo, creditedFen, balanceFen) =>
    `✅ Order ${code(orderNo)}: ${bold(formatYuan(creditedFen))} credited. New balance ${formatYuan(balanceFen)}.`,
  inReview: (orderNo) => `The payment for order ${code(orderNo)} is being checked by hand. Please wait.`,
  expired: (orderNo) => `Order ${code(orderNo)} expired unpaid and is closed.`,
  cancelled: (orderNo) => `Order ${code(orderNo)} is cancelled.`,
  balance: (balanceFen) => `Your balance: ${bold(formatYuan(balanceFen))}`,
  amountInvalid: (min, max) =>
    `That amount is not valid. Send an amount from ${formatYuan(min)} to ${formatYuan(max)} with at most two decimals, e.g. /recharge 10`,
  tooManyPending: (max) => `You already have ${max} unpaid orders. Pay or /cancel one first.`,
  amountsBusy: 'Too many orders for this amount right now. Please retry shortly.',
  mailboxDownRefused:
    'Payment notifications are unavailable right now, so no new orders are taken. Please retry later.',
  orderNotCancellable: 'That order can no longer be cancelled.',
  nothingToCancel: 'You have no unpaid order.',
  unknownError: 'Something went wrong. Please try again later.',
};

const catalogues: Record<Language, typeof zh> = { zh, en };

export function textsFor(language: Language): typeof zh {
  return catalogues[language];
}

/** `2026-11-20 12:15` in the given time zone. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

const reviewReasonWords: Record<string, string> = {
  unauthenticated: '未通过邮件认证（可能伪造）',
  suspected_duplicate: '疑似重复通知',
  amount_mismatch: '金额与订单不符',
  late: '订单已过期或已取消',
  already_paid: '订单已支付',
  ambiguous: '有多个订单符合',
  unmatched: '没有对应的订单',
};

/** Texts for the admins (Chinese: they run a Chinese payment account). */
export const adminTexts = {
  reviewReason: (reason: string) => reviewReasonWords[reason] ?? reason,
  review: (p: {
    paymentId: number;
    reason: string;
    provider: string;
    amountFen: number;
    payer: string | null;
    memo: string | null;
    time: string | null;
    orderNo: string | null;
  }) =>
    [
      `🔎 付款 #${p.paymentId} 需要人工核对：${escapeHtml(adminTexts.reviewReason(p.reason))}`,
      `金额：${bold(formatYuan(p.amountFen))}（${p.provider === 'wechat' ? '微信' : '支付宝'}）`,
      `付款人：${escapeHtml(p.payer ?? '—')}`,
      `备注：${escapeHtml(p.memo ?? '—')}`,
      `时间：${escapeHtml(p.time ?? '—')}`,
      p.orderNo ? `相关订单：${code(p.orderNo)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  failure: (p: { paymentId: number; reason: string; subject: string; snippet: string }) =>
    [
      `⚠️ 邮件 #${p.paymentId} 无法处理（${escapeHtml(p.reason)}）`,
      `主题：${escapeHtml(p.subject || '—')}`,
      p.snippet ? `内容：${escapeHtml(p.snippet)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  mailboxUnreachable: (p: { since: string; minutes: number }) =>
    `📭 通知邮箱自 ${escapeHtml(p.since)} 起无法连接（已 ${p.minutes} 分钟），付款暂时无法自动到账。正在自动重连。`,
  mailboxBack: (p: { since: string; minutes: number }) =>
    `📬 通知邮箱已恢复连接（自 ${escapeHtml(p.since)} 起中断约 ${p.minutes} 分钟），正在补收期间的通知。`,
};
