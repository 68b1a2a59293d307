import { describe, expect, it } from 'vitest';
import { yuanTextToFen } from '../src/modules/payments/notification/amount-text.ts';

describe('yuanTextToFen', () => {
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
    expect(yuanTextToFen(text)).toBe(fen);
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
    expect(yuanTextToFen(text)).toBeNull();
  });
});
