// The two statement layouts, read from a table of text cells (a CSV's records or a sheet's rows): the
// preamble above the header, the header, then one transaction a row. Layouts as the apps export them and
// as deb-sig/double-entry-generator (pkg/provider/alipay, pkg/provider/wechat) and jiegec/china_bean_importers read them.
import { parsePrintedYuanToFen } from '../../shared/money.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { localDateTimeToIso } from '../payments/notification/time-text.ts';
import {
  alipaySuccessful,
  directionOf,
  type ReadStatement,
  type StatementRow,
  wechatSuccessful,
} from './statement.models.ts';

interface Layout {
  provider: Provider;
  header: readonly string[];
  /** Column positions of what a row gives. */
  columns: {
    direction: number;
    amount: number;
    status: number;
    transactionId: number;
    payer: number;
    memo: number[];
  };
  successful: (status: string) => boolean;
}

const LAYOUTS: readonly Layout[] = [
  {
    provider: 'alipay',
    header: [
      '交易时间',
      '交易分类',
      '交易对方',
      '对方账号',
      '商品说明',
      '收/支',
      '金额',
      '收/付款方式',
      '交易状态',
      '交易订单号',
      '商家订单号',
      '备注',
    ],
    columns: { direction: 5, amount: 6, status: 8, transactionId: 9, payer: 2, memo: [4, 11] },
    successful: alipaySuccessful,
  },
  {
    provider: 'wechat',
    header: [
      '交易时间',
      '交易类型',
      '交易对方',
      '商品',
      '收/支',
      '金额(元)',
      '支付方式',
      '当前状态',
      '交易单号',
      '商户单号',
      '备注',
    ],
    columns: { direction: 4, amount: 5, status: 7, transactionId: 8, payer: 2, memo: [3, 10] },
    successful: wechatSuccessful,
  },
];

/** The apps print their statements in China's time. */
const STATEMENT_OFFSET = '+08:00';
/** A table whose header is not within its first rows is no statement (WeChat's XLSX has it on row 18). */
const HEADER_SEARCH_ROWS = 40;

const clean = (cell: string | undefined) => (cell ?? '').replace(/[\t\s]+$|^[\t\s]+/g, '');
const orNull = (cell: string) => (cell === '' || cell === '/' ? null : cell);

export function tableToStatement(table: readonly string[][]): ReadStatement {
  for (const [index, cells] of table.slice(0, HEADER_SEARCH_ROWS).entries()) {
    const layout = LAYOUTS.find((l) => l.header.every((name, i) => clean(cells[i]) === name));
    if (layout) return readRows(layout, table.slice(0, index), table.slice(index + 1));
  }
  return { ok: false, code: 'statement.unknown_format' };
}

function readRows(layout: Layout, preamble: readonly string[][], body: readonly string[][]): ReadStatement {
  const rows: StatementRow[] = [];
  for (const cells of body) {
    const first = clean(cells[0]);
    if (cells.every((cell) => clean(cell) === '')) continue;
    // Older Alipay exports close the table with a dashed line and totals.
    if (first.startsWith('---')) break;
    const row = readRow(layout, cells.map(clean));
    if (!row) return { ok: false, code: 'statement.truncated' };
    rows.push(row);
  }
  const preambleText = preamble.map((cells) => cells.join(',')).join('\n');
  const stated = /共(\d+)笔记录/.exec(preambleText)?.[1];
  // A file cut at a line's end parses cleanly: the count the app printed above the table tells.
  if (stated !== undefined && rows.length < Number(stated)) return { ok: false, code: 'statement.truncated' };
  if (rows.length === 0) return { ok: false, code: 'statement.empty' };
  return { ok: true, statement: { provider: layout.provider, period: periodOf(preambleText, rows), rows } };
}

function readRow(layout: Layout, cells: string[]): StatementRow | null {
  if (cells.length < layout.header.length) return null;
  const { columns } = layout;
  const time = localDateTimeToIso(cells[0] ?? '', STATEMENT_OFFSET);
  const amount = parsePrintedYuanToFen(cells[columns.amount] ?? '');
  if (!time || !amount.ok) return null;
  const memo = columns.memo.flatMap((i) => orNull(cells[i] ?? '') ?? []).join(' ');
  return {
    time,
    amountFen: amount.fen,
    direction: directionOf(cells[columns.direction] ?? ''),
    successful: layout.successful(cells[columns.status] ?? ''),
    transactionId: orNull(cells[columns.transactionId] ?? ''),
    payer: orNull(cells[columns.payer] ?? ''),
    memo: memo === '' ? null : memo,
  };
}

function periodOf(preambleText: string, rows: readonly StatementRow[]): { from: Date; to: Date } {
  const stated = /起始时间：\[([^\]]+)\][\s,]*终止时间：\[([^\]]+)\]/.exec(preambleText);
  const from = stated ? localDateTimeToIso(stated[1] ?? '', STATEMENT_OFFSET) : null;
  const to = stated ? localDateTimeToIso(stated[2] ?? '', STATEMENT_OFFSET) : null;
  if (from && to) return { from: new Date(from), to: new Date(to) };
  const times = rows.map((row) => new Date(row.time).getTime());
  return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
}
