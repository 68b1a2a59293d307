// Texts for the admins in Chinese (the default: they run a Chinese payment account): review cards, answers,
// reports, alarms. The English catalogue (admin-texts-en.ts) has the same shape; admin-language.ts picks one.

import { bold, code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import { type CatchUpFigures, formatDuration } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import type { ReviewReason } from '../payments/matching.ts';
import { type CommandEntry, helpLines } from '../telegram/command-list.ts';
import { clip, FIELD_LIMITS } from '../telegram/telegram-limits.ts';

const reviewReasonWords: Record<ReviewReason, string> = {
  unauthenticated: '未通过邮件认证（可能伪造）',
  auth_unavailable: '无法完成邮件认证（DKIM 密钥 30 分钟内一直查询失败）',
  suspected_duplicate: '疑似重复通知',
  unclear_notification: '通知可有多种读法（两条规则或两个金额），请对照原文',
  amount_mismatch: '金额与订单不符',
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

/** A field from a mail or a user: clipped to `max` characters with an ellipsis, then escaped. */
export const field = (text: string | null, max: number) => escapeHtml(clip(text ?? '—', max));
const providerName = (provider: string | null) =>
  provider === 'wechat' ? '微信' : provider === 'alipay' ? '支付宝' : field(provider, FIELD_LIMITS.name);
export const minutes = (ms: number) => Math.round(ms / 60_000);
const seconds = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} 秒`);
export const rate = (part: number, whole: number) =>
  whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`;

export type AdminDecision = 'approve' | 'reject' | 'refund';

export interface ReviewCardFacts {
  paymentId: number;
  reason: string;
  provider: string | null;
  amountFen: number;
  payer: string | null;
  memo: string | null;
  time: string;
  orderNo: string | null;
}

export interface PeriodFigures {
  ordersCreated: number;
  ordersPaid: number;
  ordersExpired: number;
  paymentsMatched: number;
  paymentsAutoMatched: number;
  paymentsInReview: number;
  paymentsRejected: number;
  paymentsRefunded: number;
  payments: number;
  receivedFen: number;
  creditedFen: number;
}

export interface HealthFacts {
  mailboxState: string;
  /** Why the mailbox is not connected, when known. */
  mailboxProblem: MailboxProblemKind | null;
  /** The catch-up of the mailbox under way, if any. */
  catchUp: CatchUpFigures | null;
  lastMessageAt: string | null;
  outboxPending: number;
  outboxOldestMinutes: number | null;
  outboxFailed: number;
  reviewQueue: number;
  ledgerMismatches: readonly number[];
  ordersPaidTwice: readonly string[];
  /** Alarm names (`unparsed`, `silence`); each catalogue says them in words. */
  activeAlarms: readonly string[];
}

export interface ReportFacts extends HealthFacts {
  period: PeriodFigures;
  medianLatencySeconds: number | null;
  worstLatencySeconds: number | null;
  failedMessages: number;
}

const periodLines = (f: PeriodFigures) => [
  `订单：新建 ${f.ordersCreated}，已付 ${f.ordersPaid}，过期 ${f.ordersExpired}`,
  `付款通知 ${f.payments}：自动入账 ${f.paymentsAutoMatched}，人工批准 ${f.paymentsMatched - f.paymentsAutoMatched}，待核对 ${f.paymentsInReview}，拒绝 ${f.paymentsRejected}，退回 ${f.paymentsRefunded}`,
  `自动匹配率：${rate(f.paymentsAutoMatched, f.payments)}`,
  `收款合计 ${formatYuan(f.receivedFen)}，入账合计 ${formatYuan(f.creditedFen)}`,
];

const alarmNames: Record<string, string> = { unparsed: '邮件无法解析', silence: '长时间没有付款通知' };

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

const commands: CommandEntry[] = [
  {
    command: 'pending',
    args: '[付款ID]',
    description: '待核对的付款（从早到晚，每次 10 笔，带按钮；给出付款ID则从它之后开始）',
  },
  { command: 'approve', args: '付款ID [订单号|用户ID]', description: '批准入账（同卡片上的批准按钮）' },
  { command: 'reject', args: '付款ID', description: '拒绝（同卡片上的拒绝按钮）' },
  { command: 'assign', args: '付款ID 订单号|用户ID', description: '把付款入账到指定订单或用户' },
  { command: 'find', args: '订单号', description: '查订单' },
  { command: 'refund', args: '订单号 [原因]', description: '已付订单退款（扣回余额）' },
  { command: 'adjust', args: '用户ID 金额 原因', description: '手工调整余额' },
  { command: 'stats', description: '今天和最近 7 天的统计' },
  { command: 'health', description: '运行状态' },
  { command: 'lang', description: '切换语言：中文 / English' },
  { command: 'help', description: '显示管理命令' },
];

/** Texts for the admins, in Chinese. */
export const zhAdminTexts = {
  reviewReason: (reason: string) =>
    (reviewReasonWords as Record<string, string | undefined>)[reason] ?? reason,
  review: (p: ReviewCardFacts) =>
    [
      `🔎 付款 #${p.paymentId} 需要人工核对：${escapeHtml(zhAdminTexts.reviewReason(p.reason))}`,
      `金额：${bold(formatYuan(p.amountFen))}（${providerName(p.provider)}）`,
      `付款人：${field(p.payer, FIELD_LIMITS.name)}`,
      `备注：${field(p.memo, FIELD_LIMITS.memo)}`,
      `时间：${escapeHtml(p.time)}`,
      p.orderNo ? `相关订单：${code(p.orderNo)}` : '',
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
  // Answers to presses and commands.
  notAdmin: '仅管理员可以操作。',
  notThisCard: '这个按钮与付款不符，未做任何操作。',
  alreadyDecided: (status: string, by: number | null) =>
    `该付款已处理（${status}${by ? `，管理员 ${by}` : ''}），未做任何操作。`,
  paymentNotFound: '没有这笔付款。',
  done: '已处理。',
  needsTarget: (paymentId: number) =>
    `付款 #${paymentId} 没有明确的订单。请用 /approve ${paymentId} 订单号 或 /approve ${paymentId} 用户ID 指定入账对象（也可用 /assign ${paymentId} …）。`,
  orderNotCreditable: (orderNo: string, status: string) =>
    `订单 ${code(orderNo)} 当前状态为 ${escapeHtml(status)}，不能入账。可用 /approve 付款ID 订单号|用户ID 指定其他订单或用户。`,
  orderNotFound: (orderNo: string) => `没有订单 ${code(orderNo)}。`,
  customerNotFound: (id: string) => `没有用户 ${escapeHtml(id)}。`,
  assigned: (paymentId: number, target: string) => `付款 #${paymentId} 已入账到 ${escapeHtml(target)}。`,
  rejected: (paymentId: number) => `付款 #${paymentId} 已拒绝，未入账。`,
  usage: {
    assign: '用法：/assign 付款ID 订单号 或 /assign 付款ID 用户ID',
    approve: '用法：/approve 付款ID（入账到付款备注中的订单），或 /approve 付款ID 订单号|用户ID',
    reject: '用法：/reject 付款ID',
    pending: '用法：/pending，或 /pending 付款ID（显示该付款之后的 10 笔）',
    adjust: '用法：/adjust 用户ID 金额 原因（金额可为负，如 -5.00）',
    find: '用法：/find 订单号',
    refund: '用法：/refund 订单号 [原因]',
  },
  adjustedAdmin: (customerId: number, amountFen: number, balanceFen: number) =>
    `用户 ${customerId} 余额调整 ${formatYuan(amountFen)}，当前余额 ${formatYuan(balanceFen)}。`,
  insufficientBalance: (customerId: number, balanceFen: number) =>
    `用户 ${customerId} 余额只有 ${formatYuan(balanceFen)}，不够扣减，未做任何操作。`,
  refundedAdmin: (orderNo: string, amountFen: number, balanceFen: number) =>
    `订单 ${code(orderNo)} 已退款，扣回 ${formatYuan(amountFen)}，用户余额 ${formatYuan(balanceFen)}。`,
  orderNotRefundable: (orderNo: string, status: string) =>
    `订单 ${code(orderNo)} 状态为 ${escapeHtml(status)}，只有已付订单可以退款。`,
  pendingEmpty: '没有待核对的付款。',
  pendingHeader: (q: { total: number; afterId: number; ids: readonly number[]; remaining: number }) =>
    [
      `待核对付款共 ${q.total} 笔，从早到晚${q.afterId > 0 ? `（#${q.afterId} 之后）` : ''}。`,
      q.ids.length === 0
        ? `#${q.afterId} 之后没有待核对的付款。从头看：/pending`
        : `本次显示 ${q.ids.length} 笔：#${q.ids[0]} 至 #${q.ids.at(-1)}。`,
      q.remaining > 0 ? `之后还有 ${q.remaining} 笔：/pending ${q.ids.at(-1)}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  order: (o: {
    orderNo: string;
    status: string;
    customerId: number;
    customerName: string | null;
    requestedFen: number;
    payableFen: number;
    createdAt: string;
    expiresAt: string;
    payments: ReadonlyArray<{ id: number; status: string; amountFen: number | null }>;
    ledger: ReadonlyArray<{ kind: string; amountFen: number; actor: string | null }>;
  }) =>
    [
      `订单 ${code(o.orderNo)}：${escapeHtml(o.status)}`,
      `用户：${o.customerId}${o.customerName ? `（${field(o.customerName, FIELD_LIMITS.name)}）` : ''}`,
      `充值 ${formatYuan(o.requestedFen)}，应付 ${formatYuan(o.payableFen)}`,
      `创建 ${escapeHtml(o.createdAt)}，过期 ${escapeHtml(o.expiresAt)}`,
      ...o.payments.map(
        (p) =>
          `付款 #${p.id}：${escapeHtml(p.status)}${p.amountFen !== null ? ` ${formatYuan(p.amountFen)}` : ''}`,
      ),
      ...o.ledger.map(
        (e) => `流水：${escapeHtml(e.kind)} ${formatYuan(e.amountFen)}（${escapeHtml(e.actor ?? '—')}）`,
      ),
      o.status === 'paid' ? `退款：/refund ${o.orderNo} 原因` : '',
    ]
      .filter(Boolean)
      .join('\n'),
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
  },
  deliveryFailed: (chatId: number, error: string) =>
    `⚠️ 发给 ${chatId} 的消息无法送达，已放弃：${field(error, FIELD_LIMITS.error)}`,
  commands,
  help: ['管理命令：', ...helpLines(commands)].join('\n'),
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

export type AdminTexts = typeof zhAdminTexts;
