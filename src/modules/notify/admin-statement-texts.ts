// Texts for statements and /export, in Chinese; admin-statement-texts-en.ts has the same shape.
import { bold } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { RecordedPayment } from '../statements/reconcile.ts';
import type { StatementOutcome } from '../statements/reconcile-statement.ts';
import type { Statement, StatementProblem } from '../statements/statement.models.ts';
import { enStatementTexts } from './admin-statement-texts-en.ts';
import type { Language } from './customer-texts.ts';
import { formatLocalSeconds } from './customer-texts.ts';
import { listed, paymentLine, rowLine, sumFen } from './statement-text-parts.ts';

const providerName = (provider: string) => (provider === 'wechat' ? '微信支付' : '支付宝');
const periodText = (s: Statement, timeZone: string) =>
  `${formatLocalSeconds(s.period.from, timeZone)} — ${formatLocalSeconds(s.period.to, timeZone)}`;

export const zhStatementTexts = {
  problem: (code: StatementProblem): string =>
    ({
      'statement.too_large': '❌ 文件超过 20 MB，Telegram 机器人无法下载。请缩短账单时间段后重新导出。',
      'statement.zip':
        '❌ 这是一个压缩包。请先解压（密码见支付宝/微信的通知），再把其中的 CSV 或 XLSX 文件发给我。',
      'statement.encrypted':
        '❌ 这个 Excel 文件有密码保护（或是旧的 .xls 格式）。请去掉密码另存为 .xlsx，或发送 CSV。',
      'statement.unknown_format':
        '❌ 认不出这个文件：请发送支付宝「交易明细」CSV 或微信支付「账单明细」CSV/XLSX。',
      'statement.truncated':
        '❌ 文件不完整或已损坏（行数比账单开头写的少，或最后一行被截断）。请重新导出后再发送。',
      'statement.empty': 'ℹ️ 这份账单里没有交易。',
    })[code],
  download_failed: '❌ 无法从 Telegram 下载这个文件，请稍后再发一次。',
  report: (o: StatementOutcome, timeZone: string): string => {
    const { matched, missed, unconfirmed } = o.result;
    const incoming = [...matched.map((m) => m.row), ...missed.map((m) => m.row)];
    return [
      `🧾 ${bold(`${providerName(o.statement.provider)}对账单`)}  ${periodText(o.statement, timeZone)}`,
      `收入（成功）：${incoming.length} 笔，${formatYuan(sumFen(incoming))}`,
      `✅ 已核对：${matched.length} 笔，${formatYuan(sumFen(matched.map((m) => m.row)))}`,
      `❗ 漏收（监控未收到）：${missed.length} 笔，${formatYuan(sumFen(missed.map((m) => m.row)))}；本次新记录 ${o.recordedNow} 笔并送审核`,
      listed(
        missed.map((m) => m.row),
        (row) => rowLine(row, timeZone),
        (n) => `…另有 ${n} 笔`,
      ),
      `⚠️ 未确认（已自动入账但账单里没有）：${unconfirmed.length} 笔，${formatYuan(sumFen(unconfirmed))}`,
      listed(
        unconfirmed,
        (p) => paymentLine(p, timeZone),
        (n) => `…另有 ${n} 笔`,
      ),
      `已忽略：支出/不计收支 ${o.ignored.outgoing} 笔，未成功的收入 ${o.ignored.unsuccessful} 笔，监控启用前的收入 ${o.ignored.beforeMonitoring} 笔`,
    ]
      .filter((line) => line !== '')
      .join('\n');
  },
  unconfirmedAlarm: (s: Statement, unconfirmed: readonly RecordedPayment[], timeZone: string): string =>
    [
      `🚨 ${bold('可能有伪造的付款通知')}：${unconfirmed.length} 笔已自动入账的付款（${formatYuan(sumFen(unconfirmed))}）不在${providerName(s.provider)}对账单（${periodText(s, timeZone)}）里：`,
      listed(
        unconfirmed,
        (p) => paymentLine(p, timeZone),
        (n) => `…另有 ${n} 笔`,
      ),
      '请到收款 App 里核对；确认是假的，用 /refund 或调整余额处理。',
    ].join('\n'),
  notAdminStatement: '⛔ 只有管理员可以发送对账单。',
  exportUsage: '用法：/export 开始日期 结束日期（YYYY-MM-DD，含两端），例如 /export 2026-11-01 2026-11-30',
  exportTooLong: (days: number) => `❌ 时间段太长：最多 ${days} 天，请分段导出。`,
  exportTooLarge: (mb: number) => `❌ 这段时间的数据超过 ${mb} MB，请缩短时间段分次导出。`,
  exportCaption: (what: 'payments' | 'ledger', from: string, to: string, rows: number) =>
    `${what === 'payments' ? '付款记录' : '账本流水'} ${from} — ${to}：${rows} 行`,
};

export type StatementTexts = typeof zhStatementTexts;

export function statementTextsFor(language: Language): StatementTexts {
  return language === 'en' ? enStatementTexts : zhStatementTexts;
}
