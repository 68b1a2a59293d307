// The one query for free payable amounts in a provider's scope: what order creation inserts at and what a
// payer's choice of provider moves an order to (order-creation.repository.ts, order-provider.repository.ts).
import { type SQL, sql } from 'drizzle-orm';
import type { Provider } from '../payments/notification/payment-notification.ts';

/** Namespaces of the advisory locks on payable amounts (the first key of the two-key form), per provider. */
const PAYABLE_LOCK_SPACES = { any: 7_411, alipay: 7_412, wechat: 7_413 } as const;

/**
 * Rows `(fen, rank)`: the first `limit` free amounts of `candidates` (in their order) in the scope of
 * `provider` (null: "any"). A transaction-scoped advisory lock per amount lets concurrent allocations (from
 * any process) skip an amount another is claiming instead of queueing behind it; once locked, the amount is
 * checked again against what has committed since the statement began (`payable_amount_taken`). The partial
 * unique index still decides every race.
 */
export function freePayableAmounts(
  provider: Provider | null,
  candidates: readonly number[],
  limit: number,
): SQL {
  const scope = provider ?? 'any';
  return sql`select c.fen, c.rank
    from unnest(string_to_array(${candidates.join(',')}, ',')::int[]) with ordinality as c(fen, rank)
    -- In this order: only a free amount is locked (a lock per taken amount would fill the lock table).
    where case
      when exists (
        select 1 from orders o
        where o.status = 'pending' and o.payable_fen = c.fen and coalesce(o.provider, 'any') = ${scope}
      ) then false
      when not pg_try_advisory_xact_lock(${PAYABLE_LOCK_SPACES[scope]}, c.fen) then false
      else not payable_amount_taken(c.fen, ${scope})
    end
    limit ${limit}`;
}
