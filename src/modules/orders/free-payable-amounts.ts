// The one query for free payable amounts in a provider's scope: what order creation inserts at and what a
// payer's choice of provider moves an order to (order-creation.repository.ts, order-provider.repository.ts).
import { type SQL, sql } from 'drizzle-orm';
import type { Provider } from '../payments/notification/payment-notification.ts';
import type { PayableWindow } from './payable-amount.ts';

/** Namespaces of the advisory locks on payable amounts (the first key of the two-key form), per provider. */
const PAYABLE_LOCK_SPACES = { any: 7_411, alipay: 7_412, wechat: 7_413 } as const;

/**
 * Rows `(fen, rank)`: the first `limit` free amounts of the window (in its order, generated as they are read,
 * not sent: a window of a thousand amounts is mostly never reached) in the scope of
 * `provider` (null: "any"). A transaction-scoped advisory lock per amount lets concurrent allocations (from
 * any process) skip an amount another is claiming instead of queueing behind it; once locked, the amount is
 * checked again against what has committed since the statement began (`payable_amount_taken`). The partial
 * unique index still decides every race.
 */
export function freePayableAmounts(provider: Provider | null, window: PayableWindow, limit: number): SQL {
  const scope = provider ?? 'any';
  return sql`select c.fen, c.rank
    from (select ${window.fromFen}::int + ${window.step}::int * i as fen, i as rank
      from generate_series(0, ${window.count - 1}::int) as i) c
    -- In this order: only a free amount is locked (a lock per taken amount would fill the lock table).
    where case
      -- A probe of the index per candidate (a scalar subquery, never hashed): hashing would read every
      -- pending order of the scope for each allocation.
      when (
        select true from orders o
        where o.status = 'pending' and o.payable_fen = c.fen and coalesce(o.provider, 'any') = ${scope}
        limit 1
      ) then false
      when not pg_try_advisory_xact_lock(${PAYABLE_LOCK_SPACES[scope]}, c.fen) then false
      else not payable_amount_taken(c.fen, ${scope})
    end
    limit ${limit}`;
}
