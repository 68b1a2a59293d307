// Use case: /export FROM TO — the period's payments and ledger entries as CSV files (UTF-8 with a BOM, so
// spreadsheet apps read the Chinese text). Dates are calendar days in TZ, both included.
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../shared/db/database.ts';
import { formatFen } from '../../shared/money.ts';
import { adminNumberOf } from '../customers/customers.repository.ts';
import { formatLocalSeconds } from '../notify/customer-texts.ts';
import { createExportRepository } from './export.repository.ts';
import { dayAfter, parseLocalDay } from './export-days.ts';

export interface ExportFile {
  kind: 'payments' | 'ledger';
  filename: string;
  bytes: Buffer;
  rows: number;
}

export type ExportOutcome =
  | { ok: true; files: ExportFile[] }
  | { ok: false; code: 'export.bad_dates' }
  | { ok: false; code: 'export.too_long' | 'export.too_large'; limit: number };

export const MAX_EXPORT_DAYS = 366;
/** A bot may upload documents of at most 50 MB. */
export const MAX_EXPORT_MB = 50;
/** Counted before anything is read: beyond this many rows a file would near 50 MB (and the service's heap). */
const MAX_EXPORT_ROWS = 150_000;

const BOM = '\uFEFF';

/** A cell a spreadsheet would run as a formula (=, +, -, @) is quoted with an apostrophe: payer and memo are anyone's text. */
const cell = (value: string | null) => (value && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ''));

export function createExportPeriod(deps: { db: Db; timeZone: string }) {
  const repository = createExportRepository({ db: deps.db });
  const at = (date: Date | null) => (date ? formatLocalSeconds(date, deps.timeZone) : '');
  const csv = (header: string[], rows: string[][]) => Buffer.from(BOM + stringify([header, ...rows]), 'utf8');

  return async function exportPeriod(fromText: string, toText: string): Promise<ExportOutcome> {
    const first = parseLocalDay(fromText, deps.timeZone);
    const last = parseLocalDay(toText, deps.timeZone);
    if (!first || !last || last.start < first.start) return { ok: false, code: 'export.bad_dates' };
    if (last.dayNumber - first.dayNumber + 1 > MAX_EXPORT_DAYS)
      return { ok: false, code: 'export.too_long', limit: MAX_EXPORT_DAYS };
    const from = first.start;
    const to = dayAfter(last, deps.timeZone);
    const counts = await repository.counts(from, to);
    if (Math.max(counts.payments, counts.ledger) > MAX_EXPORT_ROWS)
      return { ok: false, code: 'export.too_large', limit: MAX_EXPORT_MB };
    const payments = (await repository.payments(from, to)).map((p) => paymentCells(p, at));
    const ledger = (await repository.ledger(from, to)).map((l) => ledgerCells(l, at));
    const files: ExportFile[] = [
      {
        kind: 'payments',
        filename: `payments_${fromText}_${toText}.csv`,
        bytes: csv(PAYMENT_COLUMNS, payments),
        rows: payments.length,
      },
      {
        kind: 'ledger',
        filename: `ledger_${fromText}_${toText}.csv`,
        bytes: csv(LEDGER_COLUMNS, ledger),
        rows: ledger.length,
      },
    ];
    if (files.some((file) => file.bytes.length > MAX_EXPORT_MB * 1024 * 1024))
      return { ok: false, code: 'export.too_large', limit: MAX_EXPORT_MB };
    return { ok: true, files };
  };
}

export type ExportPeriod = ReturnType<typeof createExportPeriod>;

const PAYMENT_COLUMNS = [
  'id',
  'processed_at',
  'source',
  'received_at',
  'provider',
  'amount_yuan',
  'status',
  'review_reason',
  'payer',
  'memo',
  'transaction_id',
  'notified_at',
  'auth_result',
  'order_no',
  'decided_by',
  'decided_at',
];
const LEDGER_COLUMNS = [
  'id',
  'created_at',
  'customer',
  'kind',
  'amount_yuan',
  'payment_id',
  'order_no',
  'note',
  'actor',
];

type Repository = ReturnType<typeof createExportRepository>;
type LocalTime = (date: Date | null) => string;

function paymentCells(p: Awaited<ReturnType<Repository['payments']>>[number], at: LocalTime): string[] {
  return [
    String(p.id),
    at(p.processedAt),
    p.source,
    at(p.receivedAt),
    p.provider ?? '',
    p.amountFen === null ? '' : formatFen(p.amountFen),
    p.status,
    p.reviewReason ?? '',
    cell(p.payer),
    cell(p.memo),
    cell(p.transactionId),
    at(p.notifiedAt),
    p.authResult,
    p.orderNo ?? '',
    p.decidedBy === null ? '' : String(p.decidedBy),
    at(p.decidedAt),
  ];
}

function ledgerCells(l: Awaited<ReturnType<Repository['ledger']>>[number], at: LocalTime): string[] {
  return [
    String(l.id),
    at(l.createdAt),
    String(adminNumberOf({ id: l.customerId, channel: l.channel, externalId: l.externalId })),
    l.kind,
    formatFen(l.amountFen),
    l.paymentId === null ? '' : String(l.paymentId),
    l.orderNo ?? '',
    cell(l.note),
    cell(l.actor),
  ];
}
