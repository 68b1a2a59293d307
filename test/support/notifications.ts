// Builds payment notification e-mails as they reach the mailbox: forwarded phone notifications and Alipay receipts.
import { randomBytes } from 'node:crypto';
import { buildMail } from './dkim.ts';

export const FORWARDER = 'notify-forwarder@qq.com';

/** `2026-11-26 13:30:00` in China time, as a forwarder writes it. */
export function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A phone notification mailed by a forwarder app in its default layout (SmsForwarder's e-mail template):
 * package, text lines, title, `UID：`, time, device — `<br>`-separated HTML.
 */
export function forwardedNotification(options: {
  packageName: string;
  text: readonly string[];
  title: string;
  at?: Date;
  from?: string;
  messageId?: string;
}): string {
  const at = options.at ?? new Date();
  const lines = [
    options.packageName,
    ...options.text,
    options.title,
    `UID：${randomBytes(3).readUIntBE(0, 3)}`,
    chinaTime(at),
    'Phone1',
  ];
  return buildMail({
    from: `SmsForwarder <${options.from ?? FORWARDER}>`,
    to: 'pay-inbox@example.com',
    subject: options.packageName,
    html: lines.join('<br>'),
    messageId: options.messageId ?? `<${randomBytes(8).toString('hex')}@qq.com>`,
    date: at,
  });
}

export const ALIPAY_PACKAGE = 'com.eg.android.AlipayGphone';
export const WECHAT_PACKAGE = 'com.tencent.mm';

/** An Alipay transfer notification mailed by a forwarder app, with the memo the payer typed. */
export function forwardedAlipayTransfer(options: {
  amount: string;
  memo?: string;
  payer?: string;
  at?: Date;
  from?: string;
  messageId?: string;
}): string {
  const { amount, memo, payer, ...mail } = options;
  const text =
    memo === undefined
      ? [`${payer ?? '张三'}通过扫码向你付款${amount}元`]
      : [`支付助手: ￥${amount} 收到一笔转账`, `付款方：${payer ?? '李四'}`, `转账备注：${memo}`];
  return forwardedNotification({ packageName: ALIPAY_PACKAGE, text, title: '支付助手', ...mail });
}

/**
 * A receipt as Alipay mails it: the whole From one RFC 2047 word (mailauth finds no address in it), a plain
 * UTF-8 body with amount, payer, memo, transaction id and time.
 */
export function alipayReceipt(options: {
  to: string;
  orderNo: string;
  amount: string;
  transactionId?: string;
  messageId?: string;
}): string {
  const word = (text: string) => `=?utf-8?b?${Buffer.from(text).toString('base64')}?=`;
  const transactionId =
    options.transactionId ?? `20261120220014${randomBytes(7).readUIntBE(0, 6)}`.padEnd(28, '7');
  return [
    `From: ${word('支付宝 <service@mail.alipay.com>')}`,
    `To: ${options.to}`,
    `Subject: ${word(`支付宝到账提醒：您已成功收款${options.amount}元`)}`,
    'Date: Fri, 20 Nov 2026 15:30:12 +0800',
    `Message-ID: ${options.messageId ?? `<${transactionId}@mail.alipay.com>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(
      [
        `您已成功收款${options.amount}元。`,
        `收款金额：￥${options.amount}`,
        '付款人：王五',
        `付款备注：${options.orderNo}`,
        `交易号：${transactionId}`,
        '到账时间：2026-11-20 15:30:08',
      ].join('\n'),
    ).toString('base64'),
    '',
  ].join('\r\n');
}
