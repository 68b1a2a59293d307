// Every text the bot sends, one catalogue per language (Chinese by default, English for `en*` users).

import { bold, code, escapeHtml } from '../../shared/html.ts';
import { localParts } from '../../shared/local-time.ts';
import { formatYuan } from '../../shared/money.ts';
import type { OrderStatus } from '../orders/order.models.ts';
import { type CommandEntry, helpLines } from '../telegram/command-list.ts';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How each language names itself: the /lang buttons. */
export const LANGUAGE_NAMES: Record<Language, string> = { zh: '中文', en: 'English' };

export function languageOf(telegramLanguageCode: string | null | undefined): Language {
  return telegramLanguageCode?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** `/lang en`, `/lang 中文`, a button's `zh`…; null for anything else. */
export function parseLanguage(text: string | null | undefined): Language | null {
  const word = (text ?? '').trim().toLowerCase();
  if (['zh', 'cn', '中文', 'chinese'].includes(word)) return 'zh';
  if (['en', 'english'].includes(word)) return 'en';
  return null;
}

/** A customer's language: the one chosen with /lang, else what their Telegram app is set to. */
export function customerLanguage(customer: {
  language: string | null;
  languageCode: string | null;
}): Language {
  return parseLanguage(customer.language) ?? languageOf(customer.languageCode);
}

/** One line of `/orders`, with times already in the operator's time zone. */
export interface OrderListFacts {
  orderNo: string;
  requestedFen: number;
  payableFen: number;
  status: OrderStatus;
  createdAt: string;
  expiresAt: string;
}

/** `¥10.00` or `¥10.00 (pay ¥9.99)` — the payable amount only when it differs. */
const amounts = (o: OrderListFacts, payWord: string) =>
  o.payableFen === o.requestedFen
    ? formatYuan(o.requestedFen)
    : `${formatYuan(o.requestedFen)} (${payWord} ${formatYuan(o.payableFen)})`;

export interface OrderCaptionFacts {
  orderNo: string;
  payableFen: number;
  requestedFen: number;
  expiresAt: string;
  mailboxDelayed: boolean;
}

const zhStatus: Record<OrderListFacts['status'], string> = {
  pending: '待付款',
  paid: '已到账',
  expired: '已过期',
  cancelled: '已取消',
  refunded: '已退款',
};
const enStatus: Record<OrderListFacts['status'], string> = {
  pending: 'unpaid',
  paid: 'paid',
  expired: 'expired',
  cancelled: 'cancelled',
  refunded: 'refunded',
};

const zh = {
  commands: (min: number, max: number): CommandEntry[] => [
    {
      command: 'recharge',
      args: '金额',
      description: `创建充值订单（${formatYuan(min)} 至 ${formatYuan(max)}），扫码付款即自动到账`,
    },
    { command: 'recharge', description: '选择常用金额' },
    { command: 'orders', description: '最近的订单' },
    { command: 'cancel', description: '取消待付款的订单' },
    { command: 'balance', description: '查看余额' },
    { command: 'lang', description: '切换语言：中文 / English' },
    { command: 'help', description: '显示本说明' },
  ],
  help: (min: number, max: number) =>
    ['本机器人为您的账户充值：', ...helpLines(zh.commands(min, max))].join('\n'),
  languagePrompt: '请选择语言 / Choose a language:',
  languageSet: '好的，以后用中文和您交流。',
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
  tooManyRecent: (max: number, retryAt: string) =>
    `您最近一小时已创建 ${max} 个未付款的订单，暂时不能再创建。请先付款，或在 ${retryAt} 后再试。`,
  tooManyCancels: (max: number, retryAt: string) =>
    `您最近一小时已取消 ${max} 个订单，暂时不能再取消（未付款的订单到期会自动关闭）。请在 ${retryAt} 后再试。`,
  amountsBusy: '当前该金额的订单较多，请稍后再试。',
  mailboxDownRefused: '到账通知暂时不可用，暂停接受新订单，请稍后再试。',
  orderNotCancellable: '该订单已无法取消。',
  nothingToCancel: '没有待付款的订单。',
  noOrders: '您还没有订单。用 /recharge 金额 创建一个。',
  ordersList: (list: readonly OrderListFacts[]) =>
    [
      '最近的订单：',
      ...list.map((o) =>
        [
          `${code(o.orderNo)} ${amounts(o, '应付')}`,
          zhStatus[o.status],
          `创建 ${o.createdAt}`,
          o.status === 'pending' ? `有效至 ${o.expiresAt}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
    ].join('\n'),
  unknownError: '出了点问题，请稍后再试。',
  creditedPayment: (creditedFen: number, balanceFen: number) =>
    `✅ 您的付款 ${bold(formatYuan(creditedFen))} 已核对入账，当前余额 ${formatYuan(balanceFen)}。`,
  refunded: (orderNo: string, amountFen: number, balanceFen: number) =>
    `↩️ 订单 ${code(orderNo)} 已退款，余额扣回 ${bold(formatYuan(amountFen))}，当前余额 ${formatYuan(balanceFen)}。`,
  adjusted: (amountFen: number, reason: string, balanceFen: number) =>
    `余额调整 ${bold(formatYuan(amountFen))}（${escapeHtml(reason)}），当前余额 ${formatYuan(balanceFen)}。`,
};

const en: typeof zh = {
  commands: (min, max) => [
    {
      command: 'recharge',
      args: 'AMOUNT',
      description: `create a top-up order (${formatYuan(min)} to ${formatYuan(max)}); pay by QR code and it is credited automatically`,
    },
    { command: 'recharge', description: 'pick a common amount' },
    { command: 'orders', description: 'your latest orders' },
    { command: 'cancel', description: 'cancel your unpaid orders' },
    { command: 'balance', description: 'show your balance' },
    { command: 'lang', description: 'change the language: 中文 / English' },
    { command: 'help', description: 'show this help' },
  ],
  help: (min, max) => ['This bot tops up your account:', ...helpLines(en.commands(min, max))].join('\n'),
  languagePrompt: '请选择语言 / Choose a language:',
  languageSet: 'OK, I will talk to you in English from now on.',
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
  tooManyRecent: (max, retryAt) =>
    `You created ${max} unpaid orders in the last hour, so no new one can be made for now. Pay one, or try again after ${retryAt}.`,
  tooManyCancels: (max, retryAt) =>
    `You cancelled ${max} orders in the last hour, so no more can be cancelled for now (unpaid orders close by themselves when they expire). Try again after ${retryAt}.`,
  amountsBusy: 'Too many orders for this amount right now. Please retry shortly.',
  mailboxDownRefused:
    'Payment notifications are unavailable right now, so no new orders are taken. Please retry later.',
  orderNotCancellable: 'That order can no longer be cancelled.',
  nothingToCancel: 'You have no unpaid order.',
  noOrders: 'You have no orders yet. Create one with /recharge AMOUNT.',
  ordersList: (list) =>
    [
      'Your latest orders:',
      ...list.map((o) =>
        [
          `${code(o.orderNo)} ${amounts(o, 'pay')}`,
          enStatus[o.status],
          `created ${o.createdAt}`,
          o.status === 'pending' ? `pay before ${o.expiresAt}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
    ].join('\n'),
  unknownError: 'Something went wrong. Please try again later.',
  creditedPayment: (creditedFen, balanceFen) =>
    `✅ Your payment of ${bold(formatYuan(creditedFen))} was checked and credited. New balance ${formatYuan(balanceFen)}.`,
  refunded: (orderNo, amountFen, balanceFen) =>
    `↩️ Order ${code(orderNo)} was refunded: ${bold(formatYuan(amountFen))} taken back from your balance. New balance ${formatYuan(balanceFen)}.`,
  adjusted: (amountFen, reason, balanceFen) =>
    `Balance adjusted by ${bold(formatYuan(amountFen))} (${escapeHtml(reason)}). New balance ${formatYuan(balanceFen)}.`,
};

const catalogues: Record<Language, typeof zh> = { zh, en };

export function textsFor(language: Language): typeof zh {
  return catalogues[language];
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-20 12:15` in the given time zone. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const t = localParts(at, timeZone);
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
}

/** `2026-11-20 12:15:07` in the given time zone (admin texts show seconds). */
export function formatLocalSeconds(at: Date, timeZone: string): string {
  return `${formatLocalTime(at, timeZone)}:${two(localParts(at, timeZone).second)}`;
}
