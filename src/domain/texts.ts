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

/** One line of `/orders`, with times already in the operator's time zone. */
export interface OrderListFacts {
  orderNo: string;
  requestedFen: number;
  payableFen: number;
  status: 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';
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
  help: (min: number, max: number) =>
    [
      '本机器人为您的账户充值：',
      `/recharge 金额 — 创建充值订单（${formatYuan(min)} 至 ${formatYuan(max)}），扫码付款即自动到账`,
      '/recharge — 选择常用金额',
      '/orders — 最近的订单',
      '/cancel — 取消待付款的订单',
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
  help: (min, max) =>
    [
      'This bot tops up your account:',
      `/recharge AMOUNT — create a top-up order (${formatYuan(min)} to ${formatYuan(max)}); pay by QR code and it is credited automatically`,
      '/recharge — pick a common amount',
      '/orders — your latest orders',
      '/cancel — cancel your unpaid orders',
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

/** `2026-11-20 12:15:07` in the given time zone (admin texts show seconds). */
export function formatLocalSeconds(at: Date, timeZone: string): string {
  const seconds = new Intl.DateTimeFormat('en-CA', { timeZone, second: '2-digit' })
    .format(at)
    .padStart(2, '0');
  return `${formatLocalTime(at, timeZone)}:${seconds}`;
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

const decisionWords: Record<AdminDecision, string> = {
  approve: '✅ 已批准入账',
  reject: '❌ 已拒绝',
  refund: '↩️ 已标记为退回付款人',
};

const providerName = (provider: string | null) =>
  provider === 'wechat' ? '微信' : provider === 'alipay' ? '支付宝' : escapeHtml(provider ?? '—');
const minutes = (ms: number) => Math.round(ms / 60_000);
const seconds = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} 秒`);
const rate = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

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
  lastMessageAt: string | null;
  outboxPending: number;
  outboxOldestMinutes: number | null;
  outboxFailed: number;
  reviewQueue: number;
  ledgerMismatches: readonly number[];
  ordersPaidTwice: readonly string[];
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

const healthLines = (h: HealthFacts) => [
  `邮箱：${h.mailboxState === 'connected' ? '已连接' : h.mailboxState === 'down' ? '⚠️ 无法连接' : '连接中'}`,
  `最近一封邮件：${escapeHtml(h.lastMessageAt ?? '—')}`,
  `待发消息：${h.outboxPending}${h.outboxOldestMinutes !== null ? `（最早 ${h.outboxOldestMinutes} 分钟前）` : ''}；放弃发送（24 小时）：${h.outboxFailed}`,
  `待核对付款：${h.reviewQueue}`,
  h.ledgerMismatches.length === 0
    ? '账本：余额与流水一致 ✅'
    : `账本：⚠️ ${h.ledgerMismatches.length} 个用户余额与流水不符（${h.ledgerMismatches.slice(0, 10).join(', ')}）`,
  h.ordersPaidTwice.length > 0
    ? `⚠️ ${h.ordersPaidTwice.length} 个订单重复入账（${h.ordersPaidTwice.slice(0, 10).map(escapeHtml).join(', ')}）`
    : '',
  h.activeAlarms.length > 0 ? `告警中：${h.activeAlarms.map(escapeHtml).join('、')}` : '',
];

/** Texts for the admins (Chinese: they run a Chinese payment account). */
export const adminTexts = {
  reviewReason: (reason: string) => reviewReasonWords[reason] ?? reason,
  review: (p: ReviewCardFacts) =>
    [
      `🔎 付款 #${p.paymentId} 需要人工核对：${escapeHtml(adminTexts.reviewReason(p.reason))}`,
      `金额：${bold(formatYuan(p.amountFen))}（${providerName(p.provider)}）`,
      `付款人：${escapeHtml(p.payer ?? '—')}`,
      `备注：${escapeHtml(p.memo ?? '—')}`,
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
      `${decisionWords[p.decision]}：${escapeHtml(p.by)}，${escapeHtml(p.at)}`,
      p.decision === 'approve'
        ? `入账 ${bold(formatYuan(p.amountFen))} → ${p.orderNo ? `订单 ${code(p.orderNo)}` : `用户 ${p.customerId}`}`
        : '',
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
  // Answers to presses and commands.
  notAdmin: '仅管理员可以操作。',
  notThisCard: '这个按钮与付款不符，未做任何操作。',
  alreadyDecided: (status: string, by: number | null) =>
    `该付款已处理（${status}${by ? `，管理员 ${by}` : ''}），未做任何操作。`,
  paymentNotFound: '没有这笔付款。',
  done: '已处理。',
  needsTarget: (paymentId: number) =>
    `付款 #${paymentId} 没有明确的订单。请用 /assign ${paymentId} 订单号 或 /assign ${paymentId} 用户ID 指定入账对象。`,
  orderNotCreditable: (orderNo: string, status: string) =>
    `订单 ${code(orderNo)} 当前状态为 ${escapeHtml(status)}，不能入账。可用 /assign 指定其他订单或用户。`,
  orderNotFound: (orderNo: string) => `没有订单 ${code(orderNo)}。`,
  customerNotFound: (id: string) => `没有用户 ${escapeHtml(id)}。`,
  assigned: (paymentId: number, target: string) => `付款 #${paymentId} 已入账到 ${target}。`,
  usage: {
    assign: '用法：/assign 付款ID 订单号 或 /assign 付款ID 用户ID',
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
  pendingHeader: (count: number, shown: number) =>
    `待核对付款 ${count} 笔${shown < count ? `（显示最早的 ${shown} 笔）` : ''}，从早到晚：`,
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
      `用户：${o.customerId}${o.customerName ? `（${escapeHtml(o.customerName)}）` : ''}`,
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
      `🚨 告警：受信任发件人的邮件无法解析（${p.count} 封，最近一封主题：${escapeHtml(p.subject || '—')}）。付款可能没有入账，请检查解析规则。`,
    unparsedEnded: '✅ 恢复：受信任发件人的付款通知又能正常解析了。',
    silenceStarted: (p: { sinceMs: number; since: string }) =>
      `🚨 告警：有订单在等待付款，但已 ${minutes(p.sinceMs)} 分钟没有收到付款通知（自 ${escapeHtml(p.since)}）。请检查手机上的转发应用和邮箱。`,
    silenceEnded: '✅ 恢复：又收到付款通知了。',
  },
  alarmNames: { unparsed: '邮件无法解析', silence: '长时间没有付款通知' } as Record<string, string>,
  deliveryFailed: (chatId: number, error: string) =>
    `⚠️ 发给 ${chatId} 的消息无法送达，已放弃：${escapeHtml(error)}`,
  help: [
    '管理命令：',
    '/pending — 待核对的付款（从早到晚，带按钮）',
    '/assign 付款ID 订单号|用户ID — 把付款入账到指定订单或用户',
    '/find 订单号 — 查订单',
    '/refund 订单号 [原因] — 已付订单退款（扣回余额）',
    '/adjust 用户ID 金额 原因 — 手工调整余额',
    '/stats — 今天和最近 7 天的统计',
    '/health — 运行状态',
  ].join('\n'),
  mailboxUnreachable: (p: { since: string; minutes: number }) =>
    `📭 通知邮箱自 ${escapeHtml(p.since)} 起无法连接（已 ${p.minutes} 分钟），付款暂时无法自动到账。正在自动重连。`,
  mailboxBack: (p: { since: string; minutes: number }) =>
    `📬 通知邮箱已恢复连接（自 ${escapeHtml(p.since)} 起中断约 ${p.minutes} 分钟），正在补收期间的通知。`,
};
