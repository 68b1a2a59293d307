// Admin commands in Chinese: the command list and help, and the answers to presses and commands.
import { code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import { type CommandEntry, helpLines } from '../telegram/command-list.ts';
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import { type NotifyFacts, type ShopFacts, zhShopTexts } from './admin-shop-texts.ts';
import { field } from './admin-text-facts.ts';

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
  { command: 'renotify', args: '订单号', description: '重新给商户发送已付订单的支付通知' },
  { command: 'stats', description: '今天和最近 7 天的统计' },
  { command: 'health', description: '运行状态' },
  { command: 'lang', description: '切换语言：中文 / English' },
  { command: 'help', description: '显示管理命令' },
];

export const zhCommandTexts = {
  commands,
  help: ['管理命令：', ...helpLines(commands)].join('\n'),
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
  transactionAlreadyCredited: (transactionId: string, creditedPaymentId: number) =>
    `交易号 ${code(transactionId)} 已由付款 #${creditedPaymentId} 入账，同一笔钱不会入账两次。请拒绝这条。`,
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
    /** A shop's order: the shop, and its notify (null: none queued yet). */
    shop: { shop: ShopFacts; notify: NotifyFacts | null } | null;
  }) =>
    [
      `订单 ${code(o.orderNo)}：${escapeHtml(o.status)}`,
      `用户：${o.customerId}${o.customerName ? `（${field(o.customerName, FIELD_LIMITS.name)}）` : ''}`,
      `充值 ${formatYuan(o.requestedFen)}，应付 ${formatYuan(o.payableFen)}`,
      `创建 ${escapeHtml(o.createdAt)}，过期 ${escapeHtml(o.expiresAt)}`,
      o.shop ? zhShopTexts.shopLine(o.shop.shop) : '',
      o.shop ? zhShopTexts.notifyLine(o.shop.notify) : '',
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
};

export type AdminCommandTexts = typeof zhCommandTexts;
