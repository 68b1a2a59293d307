// Texts for statements and /export, in English (the same shape as admin-statement-texts.ts).
import { bold } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { StatementTexts } from './admin-statement-texts.ts';
import { formatLocalSeconds } from './customer-texts.ts';
import { listed, paymentLine, rowLine, sumFen } from './statement-text-parts.ts';

const providerName = (provider: string) => (provider === 'wechat' ? 'WeChat Pay' : 'Alipay');

export const enStatementTexts: StatementTexts = {
  problem: (code) =>
    ({
      'statement.too_large':
        '❌ The file is over 20 MB, more than a Telegram bot can download. Export a shorter period.',
      'statement.zip':
        '❌ This is a zip archive. Unzip it (the app tells you the password) and send the CSV or XLSX inside.',
      'statement.encrypted':
        '❌ This Excel file is password-protected (or an old .xls). Save it as .xlsx without a password, or send the CSV.',
      'statement.unknown_format':
        "❌ I don't recognise this file: send Alipay's 交易明细 CSV or WeChat Pay's 账单明细 CSV/XLSX.",
      'statement.truncated':
        '❌ The file is incomplete or damaged (fewer rows than its header states, or a cut last row). Export it again.',
      'statement.empty': 'ℹ️ This statement has no transactions.',
    })[code],
  download_failed: '❌ Could not download the file from Telegram; please send it again later.',
  report: (o, timeZone) => {
    const { matched, missed, unconfirmed } = o.result;
    const incoming = [...matched.map((m) => m.row), ...missed.map((m) => m.row)];
    const period = `${formatLocalSeconds(o.statement.period.from, timeZone)} — ${formatLocalSeconds(o.statement.period.to, timeZone)}`;
    return [
      `🧾 ${bold(`${providerName(o.statement.provider)} statement`)}  ${period}`,
      `Received (successful): ${incoming.length}, ${formatYuan(sumFen(incoming))}`,
      `✅ Matched: ${matched.length}, ${formatYuan(sumFen(matched.map((m) => m.row)))}`,
      `❗ Missed by the monitor: ${missed.length}, ${formatYuan(sumFen(missed.map((m) => m.row)))}; ${o.recordedNow} recorded now and sent to review`,
      listed(
        missed.map((m) => m.row),
        (row) => rowLine(row, timeZone),
        (n) => `…and ${n} more`,
      ),
      `⚠️ Unconfirmed (credited automatically, not in the statement): ${unconfirmed.length}, ${formatYuan(sumFen(unconfirmed))}`,
      listed(
        unconfirmed,
        (p) => paymentLine(p, timeZone),
        (n) => `…and ${n} more`,
      ),
      `Ignored: ${o.ignored.outgoing} outgoing/neutral, ${o.ignored.unsuccessful} incoming not successful, ${o.ignored.beforeMonitoring} received before the monitor started`,
    ]
      .filter((line) => line !== '')
      .join('\n');
  },
  unconfirmedAlarm: (s, unconfirmed, timeZone) =>
    [
      `🚨 ${bold('Possibly forged notifications')}: ${unconfirmed.length} automatically credited payments (${formatYuan(sumFen(unconfirmed))}) are not in the ${providerName(s.provider)} statement (${formatLocalSeconds(s.period.from, timeZone)} — ${formatLocalSeconds(s.period.to, timeZone)}):`,
      listed(
        unconfirmed,
        (p) => paymentLine(p, timeZone),
        (n) => `…and ${n} more`,
      ),
      'Check them in the payment app; if they are fake, settle them with /refund or a balance adjustment.',
    ].join('\n'),
  notAdminStatement: '⛔ Only admins may send statements.',
  exportUsage: 'Usage: /export FROM TO (YYYY-MM-DD, both included), e.g. /export 2026-11-01 2026-11-30',
  exportTooLong: (days) => `❌ The period is too long: at most ${days} days; export it in parts.`,
  exportTooLarge: (mb) => `❌ The period holds more than ${mb} MB of data; export shorter periods.`,
  exportCaption: (what, from, to, rows) =>
    `${what === 'payments' ? 'Payments' : 'Ledger entries'} ${from} — ${to}: ${rows} rows`,
};
