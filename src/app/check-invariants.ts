// The ledger invariant: every balance equals the sum of its ledger entries.
import type { Store } from '../adapters/db/store.ts';

export interface InvariantReport {
  /** Customers whose balance differs from the sum of their ledger entries (should always be none). */
  balanceMismatches: number[];
}

export async function checkInvariants(store: Store): Promise<InvariantReport> {
  return { balanceMismatches: await store.ledger.balanceMismatches() };
}
