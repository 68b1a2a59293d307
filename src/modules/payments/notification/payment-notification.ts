// What reading a notification mail gives: a payment, no payment, or a reason it could not be read.

export type Provider = 'alipay' | 'wechat';

export type PaymentNotification = {
  kind: 'payment';
  ruleId: string;
  provider: Provider;
  amountFen: number;
  payer: string | null;
  memo: string | null;
  transactionId: string | null;
  /** Local time with its offset, e.g. `2026-11-20T12:01:10+08:00`. */
  time: string | null;
  /** The normalised line the amount was read from, for spotting forwarder repeats. */
  notificationText: string;
  /** Why the message could be read more than one way (two rules, two amounts): it goes to review. */
  doubt: string | null;
};

export type NotificationParse =
  | PaymentNotification
  | { kind: 'not_payment' }
  | { kind: 'unparsed'; reason: string };

export type NotificationMail = { fromAddress: string; subject: string; text: string; htmlText?: string };
