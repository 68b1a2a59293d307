// Builds payment notification e-mails as they reach the mailbox: forwarded phone notifications and Alipay receipts.
import { randomBytes } from 'node:crypto';
import { buildMail } from './dkim.ts';

export const FORWARDER = 'notify-forwarder@qq.com';

/** `2026-11-26 13:30:00` in China time, as a forwarder writes it. */
export function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** An Alipay transfer notification mailed by a forwarder app, with the memo the payer typed. */
export function forwardedAlipayTransfer(options: {
  amount: string;
  memo?: string;
  payer?: string;
  at?: Date;
  from?: string;
  messageId?: string;
}): string {
  const at = options.at ?? new Date();
  const lines = [
    'com.eg.android.AlipayGphone',
    options.memo === undefined
      ? `${options.payer ?? '张三'}通过扫码向你付款${options.amount}元`
      : `支付助手: ￥${options.amount} 收到一笔转账`,
    ...(options.memo === undefined
      ? []
      : [`付款方：${options.payer ?? '李四'}`, `转账备注：${options.memo}`]),
    '支付助手',
    `UID：${randomBytes(3).readUIntBE(0, 3)}`,
    chinaTime(at),
    'Phone1',
  ];
  return buildMail({
    from: `SmsForwarder <${options.from ?? FORWARDER}>`,
    to: 'pay-inbox@example.com',
    subject: 'com.eg.android.AlipayGphone',
    html: lines.join('<br>'),
    messageId: options.messageId ?? `<${randomBytes(8).toString('hex')}@qq.com>`,
    date: at,
  });
}
