// Admin commands in English: the same keys as the Chinese ones (admin-command-texts.ts).
import { code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import { type CommandEntry, helpLines } from '../telegram/command-list.ts';
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import type { AdminCommandTexts } from './admin-command-texts.ts';
import { enShopTexts } from './admin-shop-texts.ts';
import { field } from './admin-text-facts.ts';

const commands: CommandEntry[] = [
  {
    command: 'pending',
    args: '[PAYMENT]',
    description: 'payments in review, oldest first, 10 at a time with buttons (after PAYMENT when given)',
  },
  {
    command: 'approve',
    args: 'PAYMENT [ORDERNO|USERID]',
    description: "approve and credit (the card's approve button)",
  },
  { command: 'reject', args: 'PAYMENT', description: "reject (the card's reject button)" },
  {
    command: 'assign',
    args: 'PAYMENT ORDERNO|USERID',
    description: 'credit a payment to that order or customer',
  },
  { command: 'find', args: 'ORDERNO', description: 'look up an order' },
  { command: 'refund', args: 'ORDERNO [reason]', description: 'refund a paid order (debits the balance)' },
  { command: 'adjust', args: 'USERID AMOUNT REASON', description: 'adjust a balance by hand' },
  { command: 'renotify', args: 'ORDERNO', description: 'send a paid shop order’s notify again' },
  { command: 'stats', description: 'figures of today and the last 7 days' },
  { command: 'health', description: "the service's state" },
  { command: 'lang', description: 'change the language: 中文 / English' },
  { command: 'help', description: 'show the admin commands' },
];

export const enCommandTexts: AdminCommandTexts = {
  commands,
  help: ['Admin commands:', ...helpLines(commands)].join('\n'),
  notAdmin: 'Only admins can do this.',
  notThisCard: 'This button does not belong to that payment; nothing was done.',
  alreadyDecided: (status, by) =>
    `That payment is already settled (${status}${by ? `, by admin ${by}` : ''}); nothing was done.`,
  paymentNotFound: 'There is no such payment.',
  done: 'Done.',
  needsTarget: (paymentId) =>
    `Payment #${paymentId} names no clear order. Use /approve ${paymentId} ORDERNO or /approve ${paymentId} USERID to say where it goes (or /assign ${paymentId} …).`,
  orderNotCreditable: (orderNo, status) =>
    `Order ${code(orderNo)} is ${escapeHtml(status)} and cannot be credited. Use /approve PAYMENT ORDERNO|USERID to name another order or customer.`,
  orderNotFound: (orderNo) => `There is no order ${code(orderNo)}.`,
  transactionAlreadyCredited: (transactionId, creditedPaymentId) =>
    `Transaction ${code(transactionId)} is credited already, by payment #${creditedPaymentId}: the same money is never credited twice. Reject this one.`,
  customerNotFound: (id) => `There is no customer ${escapeHtml(id)}.`,
  assigned: (paymentId, target) => `Payment #${paymentId} credited to ${escapeHtml(target)}.`,
  rejected: (paymentId) => `Payment #${paymentId} rejected; nothing credited.`,
  usage: {
    assign: 'Usage: /assign PAYMENT ORDERNO or /assign PAYMENT USERID',
    approve:
      "Usage: /approve PAYMENT (credits the order in the payment's note), or /approve PAYMENT ORDERNO|USERID",
    reject: 'Usage: /reject PAYMENT',
    pending: 'Usage: /pending, or /pending PAYMENT (the 10 after that payment)',
    adjust: 'Usage: /adjust USERID AMOUNT REASON (the amount may be negative, e.g. -5.00)',
    find: 'Usage: /find ORDERNO',
    refund: 'Usage: /refund ORDERNO [reason]',
  },
  adjustedAdmin: (customerId, amountFen, balanceFen) =>
    `Customer ${customerId}: balance adjusted by ${formatYuan(amountFen)}, now ${formatYuan(balanceFen)}.`,
  insufficientBalance: (customerId, balanceFen) =>
    `Customer ${customerId} has only ${formatYuan(balanceFen)}, not enough to debit; nothing was done.`,
  refundedAdmin: (orderNo, amountFen, balanceFen) =>
    `Order ${code(orderNo)} refunded: ${formatYuan(amountFen)} debited, the customer's balance is ${formatYuan(balanceFen)}.`,
  orderNotRefundable: (orderNo, status) =>
    `Order ${code(orderNo)} is ${escapeHtml(status)}; only paid orders can be refunded.`,
  pendingEmpty: 'No payment is waiting for review.',
  pendingHeader: (q) =>
    [
      `${q.total} payments in review, oldest first${q.afterId > 0 ? ` (after #${q.afterId})` : ''}.`,
      q.ids.length === 0
        ? `None after #${q.afterId}. From the start: /pending`
        : `Showing ${q.ids.length}: #${q.ids[0]} to #${q.ids.at(-1)}.`,
      q.remaining > 0 ? `${q.remaining} more: /pending ${q.ids.at(-1)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  order: (o) =>
    [
      `Order ${code(o.orderNo)}: ${escapeHtml(o.status)}`,
      `Customer: ${o.customerId}${o.customerName ? ` (${field(o.customerName, FIELD_LIMITS.name)})` : ''}`,
      `Top-up ${formatYuan(o.requestedFen)}, to pay ${formatYuan(o.payableFen)}`,
      `Created ${escapeHtml(o.createdAt)}, expires ${escapeHtml(o.expiresAt)}`,
      o.shop ? enShopTexts.shopLine(o.shop.shop) : '',
      o.shop ? enShopTexts.notifyLine(o.shop.notify) : '',
      ...o.payments.map(
        (p) =>
          `Payment #${p.id}: ${escapeHtml(p.status)}${p.amountFen !== null ? ` ${formatYuan(p.amountFen)}` : ''}`,
      ),
      ...o.ledger.map(
        (e) => `Ledger: ${escapeHtml(e.kind)} ${formatYuan(e.amountFen)} (${escapeHtml(e.actor ?? '—')})`,
      ),
      o.status === 'paid' ? `Refund: /refund ${o.orderNo} REASON` : '',
    ]
      .filter(Boolean)
      .join('\n'),
};
