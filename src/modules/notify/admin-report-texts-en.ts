// Reports, health and alarms for the admins in English: the same keys as the Chinese ones
// (admin-report-texts.ts).
import { code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import { type CatchUpFigures, formatDuration } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import { clip, FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import { type AdminReportTexts, refusedText } from './admin-report-texts.ts';
import {
  field,
  type HealthFacts,
  hasShopOrders,
  minutes,
  type PeriodFigures,
  rate,
} from './admin-text-facts.ts';

const seconds = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} s`);

const periodLines = (f: PeriodFigures) => [
  `Telegram orders: ${f.ordersCreated} created, ${f.ordersPaid} paid, ${f.ordersExpired} expired`,
  ...(hasShopOrders(f)
    ? [
        `Shop orders: ${f.shopOrdersCreated} created, ${f.shopOrdersPaid} paid, ${f.shopOrdersExpired} expired`,
      ]
    : []),
  `Payment notifications ${f.payments}: ${f.paymentsAutoMatched} credited automatically, ${f.paymentsMatched - f.paymentsAutoMatched} approved, ${f.paymentsInReview} in review, ${f.paymentsRejected} rejected, ${f.paymentsRefunded} returned`,
  `Automatic match rate: ${rate(f.paymentsAutoMatched, f.payments)}`,
  `Received ${formatYuan(f.receivedFen)}, credited ${formatYuan(f.creditedFen)}`,
];

const alarmNames: Record<string, string> = {
  unparsed: 'mail not parsed',
  silence: 'no payment notification for long',
  forwarder_silence: 'no payment notification by webhook for long',
};
const sourceNames: Record<string, string> = { forwarder: 'the forwarder webhook' };
const refusalNames: Record<string, string> = {
  unknown_token: 'wrong token',
  bad_sign: 'bad sign',
  stale_timestamp: 'stale timestamp',
  replayed: 'replayed',
  too_large: 'too large',
  malformed: 'malformed',
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
  h.forwarder
    ? `Webhook: last payment notification ${escapeHtml(h.forwarder.lastNotificationAt ?? '—')}; refused ${refusedText(h.forwarder.refused, refusalNames)}`
    : '',
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

export const enReportTexts: AdminReportTexts = {
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
    sourceSilenceStarted: (p) =>
      `🚨 Alarm: orders are waiting for payment, but ${sourceNames[p.source] ?? escapeHtml(p.source)} has brought no payment notification for ${minutes(p.sinceMs)} minutes (since ${escapeHtml(p.since)}). Check SmsForwarder on the phone (running, battery optimisation, network).`,
    sourceSilenceEnded: (source) =>
      `✅ Resolved: ${sourceNames[source] ?? escapeHtml(source)} brings payment notifications again.`,
  },
  deliveryFailed: (chatId, error) =>
    `⚠️ A message to ${chatId} could not be delivered and was given up: ${field(error, FIELD_LIMITS.error)}`,
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
