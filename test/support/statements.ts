// Statement files built the way the apps export them, laid out as the real importers' examples are:
// deb-sig/double-entry-generator example/alipay/example-alipay-records.csv (GBK, dashed preamble,
// space-padded cells, trailing comma, ids ending in a tab) and example/wechat/example-wechat-records.csv
// (UTF-8, 16 preamble lines, `¥` amounts) and its .xlsx (the same rows, the header on row 18).
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export interface TestTransaction {
  /** Local time in China, `2026-11-20 12:01:10`. */
  time: string;
  /** Yuan text, `12.34`. */
  yuan: string;
  direction?: '收入' | '支出' | '不计收支' | '/';
  /** Defaults to the provider's success status. */
  status?: string;
  transactionId: string;
  payer?: string;
  memo?: string;
}

export interface StatementPeriod {
  from: string;
  to: string;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(1, width - text.length));

export function alipayCsv(rows: readonly TestTransaction[], period: StatementPeriod): Buffer {
  const income = rows.filter((r) => (r.direction ?? '收入') === '收入');
  const lines = [
    '-'.repeat(84),
    '导出信息：',
    '姓名：测试',
    '支付宝账户：payee@example.com',
    `起始时间：[${period.from}]    终止时间：[${period.to}]`,
    '导出交易类型：[全部]',
    '导出时间：[2026-12-01 09:12:52]',
    `共${rows.length}笔记录`,
    `收入：${income.length}笔 0.00元`,
    '支出：0笔 0.00元',
    '不计收支：0笔 0.00元',
    '',
    '特别提示：',
    '1.本回单内容可表明支付宝受理了相应支付交易申请，因系统原因或通讯故障等偶发因素导致本回单与实际交易结果不符时，以实际交易情况为准；',
    '9.本明细仅供个人对账使用。',
    '',
    `${'-'.repeat(24)}支付宝（中国）网络技术有限公司  电子客户回单${'-'.repeat(24)}`,
    `${['交易时间', '交易分类', '交易对方', '对方账号', '商品说明', '收/支', '金额', '收/付款方式', '交易状态', '交易订单号', '商家订单号', '备注'].map((h) => pad(h, 20)).join(',')},`,
    ...rows.map(
      (r) =>
        `${[
          pad(r.time, 20),
          pad('转账红包', 20),
          pad(r.payer ?? '付款人', 20),
          pad('pay***@qq.com', 20),
          pad(r.memo ?? '收款', 20),
          pad(r.direction ?? '收入', 20),
          pad(r.yuan, 20),
          pad('余额', 20),
          pad(r.status ?? '交易成功', 20),
          `${r.transactionId}\t`,
          `${' '.repeat(20)}\t`,
          pad('', 20),
        ].join(',')},`,
    ),
  ];
  return iconv.encode(`${lines.join('\n')}\n`, 'gbk');
}

function wechatPreamble(rows: readonly TestTransaction[], period: StatementPeriod): string[] {
  return [
    '微信支付账单明细',
    '微信昵称：[测试]',
    `起始时间：[${period.from}] 终止时间：[${period.to}]`,
    '导出类型：[全部]',
    '导出时间：[2026-12-01 16:05:22]',
    '',
    `共${rows.length}笔记录`,
    '收入：0笔 0.00元',
    '支出：0笔 0.00元',
    '中性交易：0笔 0.00元',
    '注：',
    '1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易',
    '2. 本明细仅展示当前账单中的交易，不包括已删除的记录',
    '3. 本明细仅供个人对账使用',
    '',
    '----------------------微信支付账单明细列表--------------------',
  ];
}

const WECHAT_HEADER = [
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
];

const wechatCells = (r: TestTransaction) => [
  r.time,
  '二维码收款',
  r.payer ?? '用户A',
  r.memo ?? '收款方备注:二维码收款',
  r.direction ?? '收入',
  `¥${r.yuan}`,
  '/',
  r.status ?? '已收钱',
  `${r.transactionId}\t`,
  '/\t',
  '/',
];

export function wechatCsv(rows: readonly TestTransaction[], period: StatementPeriod): Buffer {
  const lines = [
    ...wechatPreamble(rows, period).map((line) => `${line},,,,,,,,,,`),
    WECHAT_HEADER.join(','),
    ...rows.map((r) => wechatCells(r).join(',')),
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

export async function wechatXlsx(rows: readonly TestTransaction[], period: StatementPeriod): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  // The XLSX puts one more blank row under the dashed line: the header is on row 18.
  for (const line of [...wechatPreamble(rows, period), '']) sheet.addRow([line]);
  sheet.addRow(WECHAT_HEADER);
  for (const r of rows) sheet.addRow(wechatCells(r).map((cell) => cell.trim()));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What a password-protected XLSX looks like from outside: an OLE2 compound file holding EncryptionInfo. */
export function encryptedXlsx(): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  return Buffer.concat([
    header,
    Buffer.from('EncryptionInfo\0EncryptedPackage', 'utf16le'),
    Buffer.alloc(1024),
  ]);
}

/** A plain zip archive (one stored entry), as Alipay mails its statement: no workbook inside. */
export function zipOf(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

/** A mail carrying a statement file as its attachment (multipart/mixed, base64), as a mail client sends one. */
export function statementMail(options: {
  from: string;
  subject: string;
  attachment: { fileName: string; bytes: Buffer; contentType: string };
}): string {
  const boundary = `=_statement_${Date.now().toString(36)}`;
  const body = options.attachment.bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: ${options.from}`,
    'To: pay-inbox@example.com',
    `Subject: =?UTF-8?B?${Buffer.from(options.subject).toString('base64')}?=`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@qq.com>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('对账单见附件。').toString('base64'),
    `--${boundary}`,
    `Content-Type: ${options.attachment.contentType}; name="${options.attachment.fileName}"`,
    `Content-Disposition: attachment; filename="${options.attachment.fileName}"`,
    'Content-Transfer-Encoding: base64',
    '',
    body,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
