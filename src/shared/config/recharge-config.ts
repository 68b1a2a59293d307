// The recharge section of the configuration: what customers pay to, which amounts, and how often.
import { z } from 'zod';
import type { OrderLimits } from '../../modules/orders/order-limits.ts';
import { formatFen, MAX_STORED_FEN, parseYuanToFen } from '../money.ts';
import { csv, int, oneOf, text } from './config-values.ts';

const yuan = z.string().transform((value, ctx) => {
  const parsed = parseYuanToFen(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: 'expected an amount in yuan like 10 or 9.99' });
    return z.NEVER;
  }
  return parsed.fen;
});
const presetAmounts = z.string().transform((value, ctx) => {
  const amounts = csv(value).map(parseYuanToFen);
  if (amounts.length === 0 || amounts.some((a) => !a.ok)) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated yuan amounts like 5,10,15,20' });
    return z.NEVER;
  }
  return amounts.map((a) => (a.ok ? a.fen : 0));
});

export const rechargeEnv = z.object({
  PAYEE_QR_URL: text('the content of the payee collection QR code'),
  RECHARGE_AMOUNTS: presetAmounts.prefault('5,10,15,20'),
  RECHARGE_MIN: yuan.refine((fen) => fen > 0, 'must be above 0').prefault('1'),
  RECHARGE_MAX: yuan
    .refine(
      (fen) => fen <= MAX_STORED_FEN,
      `must be at most ${formatFen(MAX_STORED_FEN)} (the largest amount the database holds)`,
    )
    .prefault('5000'),
  ORDER_TTL_SECONDS: int(60, 86_400, 'a number of seconds').default(900),
  RECHARGE_WHEN_MAILBOX_DOWN: oneOf(['warn', 'refuse']).default('warn'),
  MAX_PENDING_PER_CUSTOMER: int(1, 100).default(3),
  MAX_ORDERS_PER_HOUR: int(1, 1_000, 'a number of orders').default(10),
  MAX_CANCELS_PER_HOUR: int(1, 1_000, 'a number of cancellations').default(5),
  AMOUNT_OFFSET_MAX_FEN: int(0, 9_999, 'an amount in fen').default(50),
  AMOUNT_OFFSET_DIRECTION: oneOf(['down', 'up']).default('down'),
});

/** The minimum must not be above the maximum; checked on the whole environment, after its other problems. */
export const rechargeRange = z.refine<{ RECHARGE_MIN: number; RECHARGE_MAX: number }>(
  (env) => env.RECHARGE_MIN <= env.RECHARGE_MAX,
  {
    path: ['RECHARGE_MIN'],
    message: 'must not be above RECHARGE_MAX',
    // Checked alongside the other problems, as soon as both amounts are themselves valid.
    when: ({ issues }) =>
      !issues.some((issue) => ['RECHARGE_MIN', 'RECHARGE_MAX'].includes(String(issue.path?.[0]))),
  },
);

export type RechargeConfig = {
  presetFen: readonly number[];
  minFen: number;
  maxFen: number;
  orderTtlSeconds: number;
  /** Per customer: pending orders at once, unpaid orders created and orders cancelled in the last hour. */
  limits: OrderLimits;
  offsetMaxFen: number;
  offsetDirection: 'down' | 'up';
  whenMailboxDown: 'warn' | 'refuse';
};

export function toRechargeConfig(env: z.infer<typeof rechargeEnv>): RechargeConfig {
  return {
    presetFen: env.RECHARGE_AMOUNTS,
    minFen: env.RECHARGE_MIN,
    maxFen: env.RECHARGE_MAX,
    orderTtlSeconds: env.ORDER_TTL_SECONDS,
    limits: {
      maxPending: env.MAX_PENDING_PER_CUSTOMER,
      maxCreated: env.MAX_ORDERS_PER_HOUR,
      maxCancelled: env.MAX_CANCELS_PER_HOUR,
    },
    offsetMaxFen: env.AMOUNT_OFFSET_MAX_FEN,
    offsetDirection: env.AMOUNT_OFFSET_DIRECTION,
    whenMailboxDown: env.RECHARGE_WHEN_MAILBOX_DOWN,
  };
}
