import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isOrderNumber,
  newOrderNumber,
  ORDER_NUMBER_ALPHABET,
  orderNumberCandidates,
} from '../src/modules/orders/order-number.ts';

describe('order numbers', () => {
  it('are 8 characters of A–Z and 2–9 without look-alikes', () => {
    for (let i = 0; i < 500; i++) {
      const orderNo = newOrderNumber((n) => randomInt(n));
      expect(orderNo).toMatch(/^[A-Z2-9]{8}$/);
      expect(orderNo).not.toMatch(/[01OIL]/);
      expect(isOrderNumber(orderNo)).toBe(true);
    }
    expect(ORDER_NUMBER_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('are drawn from the injected randomness', () => {
    expect(newOrderNumber(() => 0)).toBe('AAAAAAAA');
    expect(newOrderNumber((n) => n - 1)).toBe('99999999');
  });

  it.each([
    ['充值-K7M3Q9XA', 'K7M3Q9XA'],
    ['充值-张三-k7m3q9xa', 'K7M3Q9XA'],
    ['ORDER2PDX7W4N', '2PDX7W4N'],
    ['ｋ７ｍ３ｑ９ｘａ谢谢', 'K7M3Q9XA'],
    ['订单 K7M3Q9XA 请查收', 'K7M3Q9XA'],
    ['充值：ｋ７ｍ３ｑ９ｘａ。谢谢', 'K7M3Q9XA'],
    ['张三的充值k7m3q9xa', 'K7M3Q9XA'],
  ])('are found in the memo %j', (memo, orderNo) => {
    expect(orderNumberCandidates(memo)).toContain(orderNo);
  });

  it('yield no candidates from a memo without one', () => {
    expect(orderNumberCandidates(null)).toEqual([]);
    expect(orderNumberCandidates('谢谢老板')).toEqual([]);
    expect(orderNumberCandidates('K7M3Q9')).toEqual([]);
  });
});
