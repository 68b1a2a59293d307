// The bot's texts for customers in Chinese, the default; customer-texts-en.ts has the same keys.
import { bold, code, escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { OrderStatus } from '../orders/order.models.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { type CommandEntry, helpLines } from '../telegram/command-list.ts';

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
export const amounts = (o: OrderListFacts, payWord: string) =>
  o.payableFen === o.requestedFen
    ? formatYuan(o.requestedFen)
    : `${formatYuan(o.requestedFen)} (${payWord} ${formatYuan(o.payableFen)})`;

export interface OrderCaptionFacts {
  orderNo: string;
  payableFen: number;
  requestedFen: number;
  expiresAt: string;
  mailboxDelayed: boolean;
  /** The collection code shown, when the payee has two (PAYEE_QR_URL_WECHAT); null: the one code. */
  provider: Provider | null;
}

const zhProviderNames: Record<Provider, string> = { alipay: '支付宝', wechat: '微信' };

const zhStatus: Record<OrderListFacts['status'], string> = {
  pending: '待付款',
  paid: '已到账',
  expired: '已过期',
  cancelled: '已取消',
  refunded: '已退款',
};

export const zhCustomerTexts = {
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
    ['本机器人为您的账户充值：', ...helpLines(zhCustomerTexts.commands(min, max))].join('\n'),
  languagePrompt: '请选择语言 / Choose a language:',
  languageSet: '好的，以后用中文和您交流。',
  orderCaption: (o: OrderCaptionFacts) =>
    [
      `订单号：${code(o.orderNo)}（点击复制）`,
      `请支付 ${bold(formatYuan(o.payableFen))}`,
      o.payableFen !== o.requestedFen
        ? `（为区分订单，应付金额与充值金额 ${formatYuan(o.requestedFen)} 略有不同，到账按充值金额计）`
        : '',
      o.provider ? `请用${zhProviderNames[o.provider]}扫描上面的二维码付款。` : '',
      '付款时请在备注中填写订单号，并务必支付上面的准确金额。',
      `请在 ${o.expiresAt} 前完成付款。`,
      o.mailboxDelayed ? '⚠️ 到账通知暂时延迟，付款后到账可能稍慢。' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  cancelButton: '取消订单',
  presetPrompt: '请选择充值金额：',
  providerPrompt: (fen: number) => `充值 ${formatYuan(fen)}，请选择付款方式：`,
  providerButton: (provider: Provider) => zhProviderNames[provider],
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

export type CustomerTexts = typeof zhCustomerTexts;
