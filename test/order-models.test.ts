// The order state machine: the one transition table and the rules read from it.
import { describe, expect, it } from 'vitest';
import {
  canCredit,
  canTransition,
  isOpenAt,
  ORDER_STATUSES,
  type OrderStatus,
  statusesBefore,
  wasPaid,
} from '../src/modules/orders/order.models.ts';

const allowed: Array<[OrderStatus, OrderStatus]> = [
  ['pending', 'paid'],
  ['pending', 'expired'],
  ['pending', 'cancelled'],
  ['expired', 'paid'],
  ['cancelled', 'paid'],
  ['paid', 'refunded'],
];

describe('order transitions', () => {
  it.each(allowed)('lets an order move from %s to %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('allows no other move (a refunded order is final, a paid one is never paid again)', () => {
    const others = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => !allowed.some(([f, t]) => f === from && t === to)).map((to) => [
        from,
        to,
      ]),
    );
    expect(others.filter(([from, to]) => canTransition(from as OrderStatus, to as OrderStatus))).toEqual([]);
    expect(others).toContainEqual(['paid', 'paid']);
    expect(others).toContainEqual(['refunded', 'paid']);
    expect(others).toContainEqual(['expired', 'cancelled']);
  });

  it('names the statuses an order may be paid, refunded or expired from', () => {
    expect(statusesBefore('paid')).toEqual(['pending', 'expired', 'cancelled']);
    expect(statusesBefore('refunded')).toEqual(['paid']);
    expect(statusesBefore('expired')).toEqual(['pending']);
  });
});

describe('canCredit and wasPaid', () => {
  it.each([
    ['pending', true],
    ['expired', true],
    ['cancelled', true],
    ['paid', false],
    ['refunded', false],
  ] as const)('an admin may credit a %s order: %s', (status, creditable) => {
    expect(canCredit({ status })).toBe(creditable);
    expect(wasPaid({ status })).toBe(!creditable);
  });
});

describe('isOpenAt', () => {
  const expiresAt = new Date('2026-11-20T12:15:00Z');
  const before = new Date(expiresAt.getTime() - 1000);
  const after = new Date(expiresAt.getTime() + 1000);

  it('takes a payment made before the expiry, or the very second of it, while pending or swept to expired', () => {
    expect(isOpenAt({ status: 'pending', expiresAt }, before)).toBe(true);
    expect(isOpenAt({ status: 'pending', expiresAt }, expiresAt)).toBe(true);
    expect(isOpenAt({ status: 'expired', expiresAt }, before)).toBe(true);
  });

  it('takes no payment made after the expiry, nor one for a cancelled or paid order', () => {
    expect(isOpenAt({ status: 'pending', expiresAt }, after)).toBe(false);
    expect(isOpenAt({ status: 'expired', expiresAt }, after)).toBe(false);
    expect(isOpenAt({ status: 'cancelled', expiresAt }, before)).toBe(false);
    expect(isOpenAt({ status: 'paid', expiresAt }, before)).toBe(false);
  });
});
