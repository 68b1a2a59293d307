// Reports, health and alarms for the admins in Chinese, and the mailbox problems only the operator can fix.
import { code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import { type CatchUpFigures, formatDuration } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import { clip, FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import {
  field,
  type HealthFacts,
  hasShopOrders,
  minutes,
  type PeriodFigures,
  type ReportFacts,
  rate,
} from './admin-text-facts.ts';

const seconds = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} 秒`);

const periodLines = (f: PeriodFigures) => [
  `Telegram 订单：新建 ${f.ordersCreated}，已付 ${f.ordersPaid}，过期 ${f.ordersExpired}`,
  ...(hasShopOrders(f)
    ? [`商户订单：新建 ${f.shopOrdersCreated}，已付 ${f.shopOrdersPaid}，过期 ${f.shopOrdersExpired}`]
    : []),
  `付款通知 ${f.payments}：自动入账 ${f.paymentsAutoMatched}，人工批准 ${f.paymentsMatched - f.paymentsAutoMatched}，待核对 ${f.paymentsInReview}，拒绝 ${f.paymentsRejected}，退回 ${f.paymentsRefunded}`,
  `自动匹配率：${rate(f.paymentsAutoMatched, f.payments)}`,
  `收款合计 ${formatYuan(f.receivedFen)}，入账合计 ${formatYuan(f.creditedFen)}`,
];

const alarmNames: Record<string, string> = {
  unparsed: '邮件无法解析',
  silence: '长时间没有付款通知',
  forwarder_silence: 'Webhook 长时间没有付款通知',
};
const sourceNames: Record<string, string> = { forwarder: '转发应用的 Webhook' };
const refusalNames: Record<string, string> = {
  unknown_token: '令牌错误',
  bad_sign: '签名错误',
  stale_timestamp: '时间戳过期',
  replayed: '重放',
  too_large: '过大',
  malformed: '格式错误',
};
export const refusedText = (refused: Readonly<Record<string, number>>, names = refusalNames) => {
  const entries = Object.entries(refused);
  return entries.length
    ? entries.map(([reason, n]) => `${escapeHtml(names[reason] ?? reason)} ${n}`).join(', ')
    : '0';
};

const problemWords: Record<MailboxProblemKind, string> = {
  login_refused: '登录被拒绝，请检查 IMAP_PASSWORD（QQ/163 用授权码）',
  mailbox_missing: '文件夹不存在，请检查 IMAP_MAILBOX',
  tls_mismatch: 'TLS 握手失败，请检查 IMAP_PORT / IMAP_SECURE',
  certificate_rejected: '证书不被信任，请检查 IMAP_HOST',
  unreachable: '连不上服务器',
};

const mailboxLine = (h: HealthFacts) => {
  const state =
    h.mailboxState === 'connected' ? '已连接' : h.mailboxState === 'down' ? '⚠️ 无法连接' : '连接中';
  return `邮箱：${state}${h.mailboxProblem && h.mailboxState !== 'connected' ? `（${problemWords[h.mailboxProblem]}）` : ''}`;
};

const catchUpLine = (c: CatchUpFigures | null) =>
  c
    ? `补收邮件中：${c.done} / ${c.total}，${Math.round(c.perSecond)} 封/秒，预计还需 ${c.etaSeconds === null ? '—' : formatDuration(c.etaSeconds)}`
    : '';

const healthLines = (h: HealthFacts) => [
  mailboxLine(h),
  catchUpLine(h.catchUp),
  `最近一封邮件：${escapeHtml(h.lastMessageAt ?? '—')}`,
  h.forwarder
    ? `Webhook：最近一条付款通知 ${escapeHtml(h.forwarder.lastNotificationAt ?? '—')}；拒收 ${refusedText(h.forwarder.refused)}`
    : '',
  `待发消息：${h.outboxPending}${h.outboxOldestMinutes !== null ? `（最早 ${h.outboxOldestMinutes} 分钟前）` : ''}；放弃发送（24 小时）：${h.outboxFailed}`,
  `待核对付款：${h.reviewQueue}`,
  h.ledgerMismatches.length === 0
    ? '账本：余额与流水一致 ✅'
    : `账本：⚠️ ${h.ledgerMismatches.length} 个用户余额与流水不符（${h.ledgerMismatches.slice(0, 10).join(', ')}）`,
  h.ordersPaidTwice.length > 0
    ? `⚠️ ${h.ordersPaidTwice.length} 个订单重复入账（${h.ordersPaidTwice.slice(0, 10).map(escapeHtml).join(', ')}）`
    : '',
  h.activeAlarms.length > 0
    ? `告警中：${h.activeAlarms.map((name) => escapeHtml(alarmNames[name] ?? name)).join('、')}`
    : '',
];

export const zhReportTexts = {
  stats: (today: PeriodFigures, week: PeriodFigures) =>
    ['📊 今天', ...periodLines(today), '', '📊 最近 7 天', ...periodLines(week)].join('\n'),
  health: (h: HealthFacts) => ['🩺 运行状态', ...healthLines(h)].filter(Boolean).join('\n'),
  report: (r: ReportFacts) =>
    [
      '📋 运行报告（最近 24 小时）',
      ...healthLines(r),
      ...periodLines(r.period),
      `到账延迟（邮件到达 → 入账）：中位 ${seconds(r.medianLatencySeconds)}，最慢 ${seconds(r.worstLatencySeconds)}`,
      `错误：无法处理的邮件 ${r.failedMessages}，放弃发送的消息 ${r.outboxFailed}`,
    ]
      .filter(Boolean)
      .join('\n'),
  alarm: {
    unparsedStarted: (p: { subject: string; count: number }) =>
      `🚨 告警：受信任发件人的邮件无法解析（${p.count} 封，最近一封主题：${field(p.subject || '—', FIELD_LIMITS.subject)}）。付款可能没有入账，请检查解析规则。`,
    unparsedEnded: '✅ 恢复：受信任发件人的付款通知又能正常解析了。',
    silenceStarted: (p: { sinceMs: number; since: string }) =>
      `🚨 告警：有订单在等待付款，但已 ${minutes(p.sinceMs)} 分钟没有收到付款通知（自 ${escapeHtml(p.since)}）。请检查手机上的转发应用和邮箱。`,
    silenceEnded: '✅ 恢复：又收到付款通知了。',
    sourceSilenceStarted: (p: { sinceMs: number; since: string; source: string }) =>
      `🚨 告警：有订单在等待付款，但${sourceNames[p.source] ?? escapeHtml(p.source)}已 ${minutes(p.sinceMs)} 分钟没有送来付款通知（自 ${escapeHtml(p.since)}）。请检查手机上的 SmsForwarder（是否在运行、电池优化、网络）。`,
    sourceSilenceEnded: (source: string) =>
      `✅ 恢复：${sourceNames[source] ?? escapeHtml(source)}又送来付款通知了。`,
  },
  deliveryFailed: (chatId: number, error: string) =>
    `⚠️ 发给 ${chatId} 的消息无法送达，已放弃：${field(error, FIELD_LIMITS.error)}`,
  mailboxUnreachable: (p: { since: string; minutes: number }) =>
    `📭 通知邮箱自 ${escapeHtml(p.since)} 起无法连接（已 ${p.minutes} 分钟），付款暂时无法自动到账。正在自动重连。`,
  // Problems only the operator can fix, told at once; `server` is the server's own (hostile) words.
  mailboxLoginRefused: (p: { server: string }) =>
    [
      `🔐 通知邮箱登录被拒绝，付款暂时无法自动到账。服务器回复：${field(p.server, FIELD_LIMITS.error)}`,
      '请检查 IMAP_USER 和 IMAP_PASSWORD。QQ 邮箱、163/126 邮箱的 IMAP_PASSWORD 必须是授权码（在邮箱设置里开启 IMAP 服务后生成），不是登录密码。',
      '为免账号被锁，每 5–10 分钟才重试一次；改好 .env 后重启服务即可立即重连。',
    ].join('\n'),
  mailboxFolderMissing: (p: { mailbox: string; server: string }) =>
    [
      `📂 通知邮箱里没有文件夹 ${code(clip(p.mailbox, FIELD_LIMITS.name))}（IMAP_MAILBOX），付款暂时无法自动到账。服务器回复：${field(p.server, FIELD_LIMITS.error)}`,
      '请在邮箱里建好这个文件夹（或设好转发规则），或把 IMAP_MAILBOX 改成已有的文件夹（默认 INBOX）。每 5–10 分钟重试一次。',
    ].join('\n'),
  mailboxTlsMismatch: (p: { server: string }) =>
    [
      `🔒 无法与通知邮箱建立 TLS 连接，多半是端口或 IMAP_SECURE 设置不对，付款暂时无法自动到账。错误：${field(p.server, FIELD_LIMITS.error)}`,
      '993 端口用 IMAP_SECURE=true，143 端口用 IMAP_SECURE=false。改好 .env 后重启服务。',
    ].join('\n'),
  mailboxCertificateRejected: (p: { server: string }) =>
    [
      `🔒 通知邮箱服务器的 TLS 证书不被信任，付款暂时无法自动到账。错误：${field(p.server, FIELD_LIMITS.error)}`,
      '请确认 IMAP_HOST 是邮箱服务商的 IMAP 服务器地址（如 imap.qq.com、imap.163.com），而不是别名或 IP。',
    ].join('\n'),
  mailboxBack: (p: { since: string; minutes: number }) =>
    `📬 通知邮箱已恢复连接（自 ${escapeHtml(p.since)} 起中断约 ${p.minutes} 分钟），正在补收期间的通知。`,
  // Floods, summarised (src/modules/notify/notice-throttle.ts).
  amountWindowFull: (p: { requestedFen: number; lowestFen: number; highestFen: number }) =>
    `🚨 告警：${formatYuan(p.requestedFen)} 的应付金额（${formatYuan(p.lowestFen)} 至 ${formatYuan(p.highestFen)}）已全部被待付款订单占用，新订单被拒绝。若有人在占用金额，可等这些订单过期，或调大 AMOUNT_OFFSET_MAX_FEN。`,
  amountWindowStillFull: (requestedFen: number, refused: number, minutes: number) =>
    `🚨 ${formatYuan(requestedFen)} 的应付金额仍然全部被占用：过去 ${minutes} 分钟又拒绝了 ${refused} 个订单。`,
  heldUnauthenticatedCards: (count: number, minutes: number) =>
    `⚠️ 过去 ${minutes} 分钟另有 ${count} 笔未通过邮件认证的付款进入待核对，为免刷屏未逐条发送 — /pending`,
  heldDeliveryFailures: (count: number, minutes: number) =>
    `⚠️ 过去 ${minutes} 分钟另有 ${count} 条发给用户的消息无法送达，已放弃（为免刷屏未逐条通知）。`,
};

export type AdminReportTexts = typeof zhReportTexts;
