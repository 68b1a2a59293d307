// Texts for the admins in English: the same catalogue as the Chinese one (admin-texts.ts), key for key.

import { bold, code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import { type CatchUpFigures, formatDuration } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import type { ReviewReason } from '../payments/matching.ts';
import { type CommandEntry, helpLines } from '../telegram/command-list.ts';
import { clip, FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import {
  type AdminDecision,
  type AdminTexts,
  field,
  type HealthFacts,
  minutes,
  type PeriodFigures,
  rate,
} from './admin-texts.ts';

const reviewReasonWords: Record<ReviewReason, string> = {
  unauthenticated: 'not authenticated (possibly forged)',
  suspected_duplicate: 'suspected repeat of a notification',
  auth_unavailable:
    'mail authentication could not be completed (the DKIM key could not be looked up for 30 minutes)',
  unclear_notification:
    'the notification reads more than one way (two rules or two amounts): compare with the original',
  amount_mismatch: 'amount differs from the order',
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
const seconds = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} s`);

const periodLines = (f: PeriodFigures) => [
  `Orders: ${f.ordersCreated} created, ${f.ordersPaid} paid, ${f.ordersExpired} expired`,
  `Payment notifications ${f.payments}: ${f.paymentsAutoMatched} credited automatically, ${f.paymentsMatched - f.paymentsAutoMatched} approved, ${f.paymentsInReview} in review, ${f.paymentsRejected} rejected, ${f.paymentsRefunded} returned`,
  `Automatic match rate: ${rate(f.paymentsAutoMatched, f.payments)}`,
  `Received ${formatYuan(f.receivedFen)}, credited ${formatYuan(f.creditedFen)}`,
];

const alarmNames: Record<string, string> = {
  unparsed: 'mail not parsed',
  silence: 'no payment notification for long',
};

const problemWords: Record<MailboxProblemKind, string> = {
  login_refused: 'login refused: check IMAP_PASSWORD (QQ/163 need the authorisation code)',
  mailbox_missing: 'folder missing: check IMAP_MAILBOX',
  tls_mismatch: 'TLS handshake failed: check IMAP_PORT / IMAP_SECURE',
  certificate_rejected: 'certificate not trusted: check IMAP_HOST',
  unreachable: 'server unreachable',
};

const mailboxLine = (h: HealthFacts) => {
  const state =
    h.mailboxState === 'connected' ? 'connected' : h.mailboxState === 'down' ? '⚠️ unreachable' : 'connecting';
  return `Mailbox: ${state}${h.mailboxProblem && h.mailboxState !== 'connected' ? ` (${problemWords[h.mailboxProblem]})` : ''}`;
};

const catchUpLine = (c: CatchUpFigures | null) =>
  c
    ? `Catching up on mail: ${c.done} / ${c.total}, ${Math.round(c.perSecond)}/s, about ${c.etaSeconds === null ? '—' : formatDuration(c.etaSeconds)} left`
    : '';

const healthLines = (h: HealthFacts) => [
  mailboxLine(h),
  catchUpLine(h.catchUp),
  `Last message: ${escapeHtml(h.lastMessageAt ?? '—')}`,
  `Messages waiting: ${h.outboxPending}${h.outboxOldestMinutes !== null ? ` (oldest ${h.outboxOldestMinutes} min ago)` : ''}; given up (24 h): ${h.outboxFailed}`,
  `Payments in review: ${h.reviewQueue}`,
  h.ledgerMismatches.length === 0
    ? 'Ledger: balances match their entries ✅'
    : `Ledger: ⚠️ ${h.ledgerMismatches.length} balances differ from their entries (${h.ledgerMismatches.slice(0, 10).join(', ')})`,
  h.ordersPaidTwice.length > 0
    ? `⚠️ ${h.ordersPaidTwice.length} orders credited twice (${h.ordersPaidTwice.slice(0, 10).map(escapeHtml).join(', ')})`
    : '',
  h.activeAlarms.length > 0
    ? `Alarms: ${h.activeAlarms.map((name) => escapeHtml(alarmNames[name] ?? name)).join(', ')}`
    : '',
];

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
  { command: 'stats', description: 'figures of today and the last 7 days' },
  { command: 'health', description: "the service's state" },
  { command: 'lang', description: 'change the language: 中文 / English' },
  { command: 'help', description: 'show the admin commands' },
];

export const enAdminTexts: AdminTexts = {
  reviewReason: (reason) => (reviewReasonWords as Record<string, string | undefined>)[reason] ?? reason,
  review: (p) =>
    [
      `🔎 Payment #${p.paymentId} needs a check by hand: ${escapeHtml(enAdminTexts.reviewReason(p.reason))}`,
      `Amount: ${bold(formatYuan(p.amountFen))} (${providerName(p.provider)})`,
      `Payer: ${field(p.payer, FIELD_LIMITS.name)}`,
      `Note: ${field(p.memo, FIELD_LIMITS.memo)}`,
      `Time: ${escapeHtml(p.time)}`,
      p.orderNo ? `Order: ${code(p.orderNo)}` : '',
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
  stats: (today, week) =>
    ['📊 Today', ...periodLines(today), '', '📊 Last 7 days', ...periodLines(week)].join('\n'),
  health: (h) => ['🩺 Service state', ...healthLines(h)].filter(Boolean).join('\n'),
  report: (r) =>
    [
      '📋 Report (last 24 hours)',
      ...healthLines(r),
      ...periodLines(r.period),
      `Arrival → credit latency: median ${seconds(r.medianLatencySeconds)}, worst ${seconds(r.worstLatencySeconds)}`,
      `Errors: ${r.failedMessages} mails not processed, ${r.outboxFailed} messages given up`,
    ]
      .filter(Boolean)
      .join('\n'),
  alarm: {
    unparsedStarted: (p) =>
      `🚨 Alarm: mail from a trusted sender could not be parsed (${p.count}, latest subject: ${field(p.subject || '—', FIELD_LIMITS.subject)}). Payments may not be credited; check the parsing rules.`,
    unparsedEnded: '✅ Resolved: payment notifications from trusted senders parse again.',
    silenceStarted: (p) =>
      `🚨 Alarm: orders are waiting for payment, but no payment notification has arrived for ${minutes(p.sinceMs)} minutes (since ${escapeHtml(p.since)}). Check the forwarder app on the phone and the mailbox.`,
    silenceEnded: '✅ Resolved: payment notifications arrive again.',
  },
  deliveryFailed: (chatId, error) =>
    `⚠️ A message to ${chatId} could not be delivered and was given up: ${field(error, FIELD_LIMITS.error)}`,
  commands,
  help: ['Admin commands:', ...helpLines(commands)].join('\n'),
  mailboxUnreachable: (p) =>
    `📭 The notification mailbox has been unreachable since ${escapeHtml(p.since)} (${p.minutes} min): payments cannot be credited automatically for now. Reconnecting by itself.`,
  // Problems only the operator can fix, told at once; `server` is the server's own (hostile) words.
  mailboxLoginRefused: (p) =>
    [
      `🔐 The notification mailbox refused the login; payments cannot be credited automatically for now. The server said: ${field(p.server, FIELD_LIMITS.error)}`,
      'Check IMAP_USER and IMAP_PASSWORD. For QQ Mail and 163/126 Mail, IMAP_PASSWORD must be the authorisation code (授权码) generated after turning on IMAP in the mailbox settings, not the login password.',
      'To keep the account from being locked, it is retried only every 5–10 minutes; restart the service after fixing .env to reconnect at once.',
    ].join('\n'),
  mailboxFolderMissing: (p) =>
    [
      `📂 The notification mailbox has no folder ${code(clip(p.mailbox, FIELD_LIMITS.name))} (IMAP_MAILBOX); payments cannot be credited automatically for now. The server said: ${field(p.server, FIELD_LIMITS.error)}`,
      'Create the folder (or the rule that files mail into it), or set IMAP_MAILBOX to an existing folder (default INBOX). Retried every 5–10 minutes.',
    ].join('\n'),
  mailboxTlsMismatch: (p) =>
    [
      `🔒 No TLS connection to the notification mailbox, most likely a wrong port or IMAP_SECURE; payments cannot be credited automatically for now. Error: ${field(p.server, FIELD_LIMITS.error)}`,
      'Port 993 takes IMAP_SECURE=true, port 143 IMAP_SECURE=false. Restart the service after fixing .env.',
    ].join('\n'),
  mailboxCertificateRejected: (p) =>
    [
      `🔒 The notification mailbox server's TLS certificate is not trusted; payments cannot be credited automatically for now. Error: ${field(p.server, FIELD_LIMITS.error)}`,
      "Check that IMAP_HOST is the provider's IMAP server name (such as imap.qq.com, imap.163.com), not an alias or an IP address.",
    ].join('\n'),
  mailboxBack: (p) =>
    `📬 The notification mailbox is back (it was down about ${p.minutes} min, since ${escapeHtml(p.since)}); catching up on the notifications of that time.`,
  amountWindowFull: (p) =>
    `🚨 Alarm: every payable amount for ${formatYuan(p.requestedFen)} (${formatYuan(p.lowestFen)} to ${formatYuan(p.highestFen)}) is held by a pending order; new orders are refused. If someone is squatting the amounts, let those orders expire, or raise AMOUNT_OFFSET_MAX_FEN.`,
  amountWindowStillFull: (requestedFen, refused, minutes) =>
    `🚨 The payable amounts for ${formatYuan(requestedFen)} are still all taken: ${refused} more orders refused in the last ${minutes} minutes.`,
  heldUnauthenticatedCards: (count, minutes) =>
    `⚠️ ${count} more unauthenticated payments went to review in the last ${minutes} minutes; not sent one by one to spare your chat — /pending`,
  heldDeliveryFailures: (count, minutes) =>
    `⚠️ ${count} more messages to customers could not be delivered in the last ${minutes} minutes and were given up (not told one by one to spare your chat).`,
};
