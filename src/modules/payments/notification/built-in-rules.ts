// The built-in notification-parsing rules: one per notification shape of the providers' own accounts.
import type { NotificationRule } from './rules.ts';

// Shared pieces of the built-in rules. Patterns run on NFKC text: `￥` is `¥`, `：` is `:`, `，` is `,`.
const ALIPAY_APP = {
  subjects: ['com\\.eg\\.android\\.AlipayGphone', '支付宝'],
  texts: ['com\\.eg\\.android\\.AlipayGphone', '支付宝'],
};
const WECHAT_APP = { subjects: ['com\\.tencent\\.mm', '微信'], texts: ['com\\.tencent\\.mm', '微信'] };
/**
 * Notification titles of the providers' own accounts, as phones show them. Sources:
 * c-kzxvldkhX/receiptnotice `pushclassification/pmentay/AlipayPmentayNotificationHandle.java` (titles with
 * 支付宝 / 收钱码 / 收款通知) and `WechatPmentayNotificationHandle.java` (微信支付 / 微信收款), its issues #81
 * (收钱码, 收钱码到账通知, 收款通知) and #90 (支付宝通知), and the shared fixtures (支付助手, 商家服务,
 * 微信收款助手, 微信收款商业版). A chat's title is the contact's name: none of these.
 */
const ALIPAY_TITLES = [
  '收款通知',
  '收钱码',
  '收钱码到账通知',
  '收钱码收款',
  '支付宝',
  '支付宝通知',
  '支付助手',
  '商家服务',
  '支付宝商家服务',
];
const WECHAT_TITLES = ['微信支付', '微信收款助手', '微信收款商业版'];
/** A forwarder's own time-stamp line: the notification time. */
const FORWARDED_AT = '^{datetime}$';
/** `[4条]` of stacked notifications and the `微信支付: ` / `支付助手: ` / `商家服务: ` title prefixes. */
const STACK_PREFIXES = [
  '^\\[\\d+条\\] *',
  '^(?:支付宝|支付助手|商家服务|微信支付|微信收款助手|收款通知) *: *',
];
/** Between a label and its value: a colon, a table-cell gap, or a line break (label and value in separate cells). */
const LABEL = '(?: *: *\\n? *| {2,}| *\\n *)';
const DAILY_TOTAL = '(?:汇总)?今日第 *\\d+ *笔收款[^\\n]*';

export const builtInRules: NotificationRule[] = [
  {
    id: 'alipay-receipt-mail',
    provider: 'alipay',
    description: 'Receipt e-mail sent by Alipay itself (支付宝到账提醒)',
    scope: { senders: ['@alipay.com'], subjects: ['到账提醒'] },
    trigger: ['成功收款', '收款金额', '到账提醒'],
    exclude: [DAILY_TOTAL],
    fields: {
      amount: [`收款金额${LABEL}¥? *{amount} *元?`, '成功收款 *¥? *{amount} *元'],
      payer: [`付款(?:人|方)${LABEL}{value}`],
      memo: [`(?:付款|转账)?备注${LABEL}{value}`],
      transactionId: [`交易号${LABEL}(?<value>\\d{12,64})`],
      time: [`(?:到账|交易|付款)时间${LABEL}{datetime}`, FORWARDED_AT],
    },
  },
  {
    id: 'alipay-scan-pay',
    provider: 'alipay',
    description: '张三通过扫码向你付款10.00元 / 9向你付款1,160.00元',
    scope: ALIPAY_APP,
    titles: ALIPAY_TITLES,
    trigger: ['向你付款'],
    exclude: STACK_PREFIXES,
    fields: {
      amount: ['向你付款 *¥? *{amount} *元', '向你付款 *¥ *{amount}'],
      payer: ['^(?<value>[^\\n]+?)(?:通过扫码)?向你付款'],
      time: [FORWARDED_AT],
    },
  },
  {
    id: 'alipay-transfer',
    provider: 'alipay',
    description: '支付助手: ¥20.00 收到一笔转账, with 付款方/转账备注/到账时间 lines',
    scope: ALIPAY_APP,
    titles: ALIPAY_TITLES,
    trigger: ['收到一笔转账', '向你转账'],
    exclude: STACK_PREFIXES,
    fields: {
      amount: ['¥ *{amount} *元? *收到一笔转账', '{amount} *元 *收到一笔转账', '向你转账 *¥? *{amount} *元?'],
      payer: ['付款方\\s*:\\s*{value}', '^(?<value>[^\\n]+?)向你转账'],
      memo: ['(?:转账)?备注\\s*:\\s*{value}'],
      time: [FORWARDED_AT, '到账时间\\s*:\\s*{datetime}'],
    },
  },
  {
    id: 'alipay-collect-code',
    provider: 'alipay',
    description: '成功收款0.01元。享免费提现… (收钱码到账通知)',
    scope: ALIPAY_APP,
    titles: ALIPAY_TITLES,
    trigger: ['成功收款'],
    exclude: STACK_PREFIXES,
    fields: { amount: ['成功收款 *¥? *{amount} *元', '成功收款 *¥ *{amount}'], time: [FORWARDED_AT] },
  },
  {
    id: 'alipay-merchant',
    provider: 'alipay',
    description:
      '商家服务·收款到账 / 收款金额¥15.00 next to the daily total, which is not the amount / ¥0.01收款到账通知',
    scope: ALIPAY_APP,
    titles: ALIPAY_TITLES,
    trigger: ['收款到账', '收款金额'],
    exclude: [DAILY_TOTAL, ...STACK_PREFIXES],
    fields: {
      amount: [
        '收款金额 *:? *¥ *{amount}',
        '收款到账 *¥? *{amount} *元',
        // The amount leads the line: "￥0.01收款到账通知，领积分兑好礼" (AutoAccountingOrg/AutoRule sample
        // 支付宝收款码收款.txt), "商家服务: ￥0.01 收款到账通知" (gtsigner/wework-hook-example app/README.md).
        '^¥ *{amount} *元? *收款到账通知',
      ],
      time: [FORWARDED_AT],
    },
  },
  {
    id: 'wechat-shop',
    provider: 'wechat',
    description: '微信支付收款0.01元(朋友到店), also stacked as [4条]微信支付: …',
    scope: WECHAT_APP,
    titles: WECHAT_TITLES,
    trigger: ['微信支付收款'],
    exclude: STACK_PREFIXES,
    fields: { amount: ['微信支付收款 *¥? *{amount} *元', '微信支付收款 *¥ *{amount}'], time: [FORWARDED_AT] },
  },
  {
    id: 'wechat-personal-code',
    provider: 'wechat',
    description: '个人收款码到账¥1.00',
    scope: WECHAT_APP,
    titles: WECHAT_TITLES,
    trigger: ['收款码到账'],
    exclude: [DAILY_TOTAL, ...STACK_PREFIXES],
    fields: { amount: ['收款码到账 *¥ *{amount}', '收款码到账 *{amount} *元'], time: [FORWARDED_AT] },
  },
  {
    id: 'wechat-clerk',
    provider: 'wechat',
    description: '[店员消息]收款到账0.05元 with 收款金额 and a daily total',
    scope: WECHAT_APP,
    titles: WECHAT_TITLES,
    trigger: ['店员消息', '收款到账', '收款金额'],
    exclude: [DAILY_TOTAL, ...STACK_PREFIXES],
    fields: {
      amount: ['收款到账 *¥? *{amount} *元', '收款到账 *¥ *{amount}', '收款金额 *:? *¥ *{amount}'],
      time: [FORWARDED_AT],
    },
  },
];
