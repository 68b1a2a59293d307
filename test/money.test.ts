import { describe, expect, it } from 'vitest';
import {
  formatYuan,
  parsePrintedYuanToFen,
  parseSignedYuanToFen,
  parseYuanToFen,
} from '../src/shared/money.ts';

describe('parseYuanToFen', () => {
  it.each([
    ['10', 1000],
    ['10.5', 1050],
    ['10.50', 1050],
    ['¥10.50', 1050],
    ['￥10', 1000],
    ['10.50元', 1050],
    [' 9.99 ', 999],
    ['０.０１', 1],
  ])('reads %s as %i fen', (text, fen) => {
    expect(parseYuanToFen(text)).toEqual({ ok: true, fen });
  });

  it.each(['10.001', '-5', 'abc', '1e3', '', '.5', '10.', '1,000', '+5', 'NaN', 'Infinity', '0x10', '1 0'])(
    'rejects %j',
    (text) => {
      expect(parseYuanToFen(text)).toEqual({ ok: false, code: 'amount.invalid' });
    },
  );
});

describe('parseYuanToFen for amounts printed by a notification', () => {
  it.each([
    ['0.01', 1],
    ['1,160.00', 116000],
    ['12,345,678.90', 1234567890],
    ['15', 1500],
    ['10.5', 1050],
    ['¥1.00', 100],
    ['￥15.00', 1500],
    ['10元', 1000],
    ['¥ 9.99 元', 999],
    ['１，２３４．５６', 123456],
    ['０.０１元', 1],
    ['0', 0],
    ['21474836.47', 2147483647],
    ['21,474,836.47', 2147483647],
  ])('reads %s as %i fen', (text, fen) => {
    expect(parsePrintedYuanToFen(text)).toEqual({ ok: true, fen });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['10.123', 'three decimals'],
    ['1,16.00', 'a misplaced thousands separator'],
    ['1160,00', 'a decimal comma'],
    ['.50', 'no whole part'],
    ['10.', 'a dangling point'],
    ['-5.00', 'a sign'],
    ['+5', 'a sign'],
    ['1e3', 'an exponent'],
    ['007', 'leading zeros'],
    ['10.00元元', 'a doubled unit'],
    ['¥', 'a bare currency sign'],
    ['21474836.48', 'one fen more than the int4 amount columns hold'],
    ['21,474,837', 'more than the amount columns hold'],
    ['90071992547.40', 'more than the amount columns hold'],
    ['1000000000000', 'more yuan than fen can safely hold'],
    ['ten', 'words'],
  ])('rejects %j (%s)', (text) => {
    expect(parsePrintedYuanToFen(text)).toEqual({ ok: false, code: 'amount.invalid' });
  });
});

describe('parseSignedYuanToFen', () => {
  it.each([
    ['+10', 1000],
    ['-5.5', -550],
    ['¥3', 300],
    ['－２', -200],
  ])('reads %s as %i fen', (text, fen) => {
    expect(parseSignedYuanToFen(text)).toBe(fen);
  });

  it.each(['0', '-0', '+', 'ten', '--5', '1,000'])('rejects %j', (text) => {
    expect(parseSignedYuanToFen(text)).toBeNull();
  });
});

describe('formatYuan', () => {
  it.each([
    [1000, '¥10.00'],
    [999, '¥9.99'],
    [1, '¥0.01'],
    [116000, '¥1160.00'],
    [-250, '-¥2.50'],
  ])('prints %i fen as %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});
