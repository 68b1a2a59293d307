// Statements in the domain: the payee's own record of transactions (Alipay 交易明细, WeChat Pay 账单明细),
// read into rows; which rows are money received; and the codes a file that is no statement gets.
import type { Provider } from '../payments/notification/payment-notification.ts';

export type Direction = 'in' | 'out' | 'neutral';

export interface StatementRow {
  /** ISO 8601 with the apps' offset (+08:00). */
  time: string;
  amountFen: number;
  direction: Direction;
  /** The provider's status text said the transaction went through (交易成功, 已收钱, 已存入零钱, …). */
  successful: boolean;
  transactionId: string | null;
  payer: string | null;
  memo: string | null;
}

export interface Statement {
  provider: Provider;
  /** The period the statement covers (its 起始时间/终止时间), or its rows' first and last times. */
  period: { from: Date; to: Date };
  rows: StatementRow[];
}

export type StatementProblem =
  | 'statement.too_large'
  | 'statement.zip'
  | 'statement.encrypted'
  | 'statement.unknown_format'
  | 'statement.truncated'
  | 'statement.empty';

export type ReadStatement = { ok: true; statement: Statement } | { ok: false; code: StatementProblem };

/** Telegram bots may download files up to 20 MB; a statement of a year is far smaller. */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;

/** Rows the reconciliation looks at: money received that went through. */
export function isIncomingSuccess(row: StatementRow): boolean {
  return row.direction === 'in' && row.successful;
}

/** WeChat Pay's 当前状态 for money that arrived, as the importers read it (jiegec/china_bean_importers wechat). */
export function wechatSuccessful(status: string): boolean {
  if (/退款|退还|失败/.test(status)) return false;
  return (
    ['支付成功', '已存入零钱', '已收钱', '对方已收钱', '朋友已收钱', '已转账'].includes(status) ||
    status.includes('已到账')
  );
}

/** Alipay's 交易状态: only 交易成功 is money that stayed (退款成功, 交易关闭, 等待确认收货 are not). */
export function alipaySuccessful(status: string): boolean {
  return status === '交易成功';
}

export function directionOf(text: string): Direction {
  if (text === '收入') return 'in';
  if (text === '支出') return 'out';
  return 'neutral';
}
