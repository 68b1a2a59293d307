// Reads a statement file of any supported kind into a Statement: Alipay's GBK CSV, WeChat Pay's UTF-8 CSV or
// XLSX. Tells the kinds apart by their bytes, never by the file name a sender chose.
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { MAX_STATEMENT_BYTES, type ReadStatement, type StatementProblem } from './statement.models.ts';
import { tableToStatement } from './statement-layouts.ts';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** An OLE2 compound file: what Excel writes for a password-protected XLSX (and for an old .xls). */
const COMPOUND_FILE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const problem = (code: StatementProblem): ReadStatement => ({ ok: false, code });

export async function readStatementFile(bytes: Buffer): Promise<ReadStatement> {
  if (bytes.length > MAX_STATEMENT_BYTES) return problem('statement.too_large');
  if (bytes.subarray(0, 8).equals(COMPOUND_FILE_MAGIC)) return problem('statement.encrypted');
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) return readWorkbook(bytes);
  const text = decodeText(bytes);
  if (text === null) return problem('statement.unknown_format');
  const table = csvTable(text);
  return table ? tableToStatement(table) : problem('statement.truncated');
}

/** UTF-8 when the bytes are valid UTF-8 (WeChat Pay), else GBK (Alipay's export). */
function decodeText(bytes: Buffer): string | null {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return utf8.decode(bytes);
  } catch {
    const gbk = iconv.decode(bytes, 'gbk');
    // Binary that is neither: GBK decoding turns what it cannot read into U+FFFD.
    return gbk.includes('\uFFFD') || gbk.includes('\u0000') ? null : gbk;
  }
}

/**
 * The CSV's records as cells; null when the quoting is cut off (a truncated file). The preamble above the
 * header is free text (Alipay's has no commas), kept as one cell a line; only the table goes through the parser.
 */
function csvTable(text: string): string[][] | null {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, HEADER_SEARCH_LINES);
  const header = lines.findIndex((line) => line.startsWith('交易时间'));
  if (header < 0) return lines.map((line) => line.split(','));
  const table = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(header)
    .join('\n');
  try {
    const rows: string[][] = parse(table, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    });
    return [...lines.slice(0, header).map((line) => [line]), ...rows];
  } catch {
    return null;
  }
}

/** The header is within the first lines of either app's CSV (line 17 for WeChat Pay, about 25 for Alipay). */
const HEADER_SEARCH_LINES = 40;

async function readWorkbook(bytes: Buffer): Promise<ReadStatement> {
  // Zip entries' names stand in clear in their headers: an archive with no workbook part is a plain zip
  // (Alipay mails its statement as one, password-protected); a workbook that will not open was cut short.
  if (!bytes.includes('[Content_Types].xml') || !bytes.includes('xl/')) return problem('statement.zip');
  // Loaded only for a workbook: it is a large library, and most statements are CSV.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return problem('statement.truncated');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return problem('statement.unknown_format');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    table[rowNumber - 1] = Array.from(cells, (cell) => cell ?? '');
  });
  return tableToStatement(Array.from(table, (cells) => cells ?? []));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // A date cell holds the wall-clock time as if it were UTC.
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ');
  if (typeof value === 'object' && 'richText' in value)
    return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  return String(value);
}
