// Use case: the money invariants, checked by the tests and reported by /health — every balance equals the
// sum of its ledger entries, and no order is paid twice.
import type { Db } from '../../shared/db/database.ts';
import { createStore, type Store } from '../../shared/db/store.ts';

export interface InvariantReport {
  ok: boolean;
  /** Customer ids whose balance differs from the sum of their ledger entries. */
  balanceMismatches: number[];
  /** Order numbers with more than one credit entry or matched payment. */
  ordersPaidTwice: string[];
}

export async function checkInvariants(store: Store): Promise<InvariantReport> {
  const balanceMismatches = await store.ledger.balanceMismatches();
  const ordersPaidTwice = await store.ledger.ordersPaidTwice();
  return {
    ok: balanceMismatches.length === 0 && ordersPaidTwice.length === 0,
    balanceMismatches,
    ordersPaidTwice,
  };
}

export function createCheckInvariants({ db }: { db: Db }) {
  return () => checkInvariants(createStore(db));
}

export type CheckInvariants = ReturnType<typeof createCheckInvariants>;
