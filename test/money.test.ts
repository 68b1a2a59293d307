import { describe, expect, it } from 'vitest';
import { formatYuan, parseYuanToFen } from '../src/shared/money.ts';

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
