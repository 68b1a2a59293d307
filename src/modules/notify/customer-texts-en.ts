// The bot's texts for customers in English: typed by the Chinese catalogue, so a missing text does not compile.
import { bold, code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { helpLines } from '../telegram/command-list.ts';
import { amounts, type CustomerTexts, type OrderListFacts } from './customer-texts-zh.ts';

const enStatus: Record<OrderListFacts['status'], string> = {
  pending: 'unpaid',
  paid: 'paid',
  expired: 'expired',
  cancelled: 'cancelled',
  refunded: 'refunded',
};

const enProviderNames: Record<Provider, string> = { alipay: 'Alipay', wechat: 'WeChat Pay' };

export const enCustomerTexts: CustomerTexts = {
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
  help: (min, max) =>
    ['This bot tops up your account:', ...helpLines(enCustomerTexts.commands(min, max))].join('\n'),
  languagePrompt: '请选择语言 / Choose a language:',
  languageSet: 'OK, I will talk to you in English from now on.',
  orderCaption: (o) =>
    [
      `Order number: ${code(o.orderNo)} (tap to copy)`,
      `Please pay ${bold(formatYuan(o.payableFen))}`,
      o.payableFen !== o.requestedFen
        ? `(the amount to pay differs slightly from ${formatYuan(o.requestedFen)} to tell orders apart; you are credited ${formatYuan(o.requestedFen)})`
        : '',
      o.provider ? `Scan the QR code above with ${enProviderNames[o.provider]}.` : '',
      'Put the order number in the payment note and pay exactly the amount above.',
      `Please pay before ${o.expiresAt}.`,
      o.mailboxDelayed ? '⚠️ Payment notifications are delayed right now; crediting may take longer.' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  cancelButton: 'Cancel order',
  presetPrompt: 'Choose an amount:',
  providerPrompt: (fen) => `Top up ${formatYuan(fen)}: how will you pay?`,
  providerButton: (provider) => enProviderNames[provider],
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
