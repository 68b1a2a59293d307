// Use case: the money invariants, checked by the tests and reported by /health — every balance equals the
// sum of its ledger entries, and no order is paid twice.
import type { Db } from '../adapters/db/database.ts';
import { createLedgerRepository } from '../adapters/db/ledger.repository.ts';

export interface InvariantReport {
  ok: boolean;
  /** Customer ids whose balance differs from the sum of their ledger entries. */
  balanceMismatches: number[];
  /** Order numbers with more than one credit entry or matched payment. */
  ordersPaidTwice: string[];
}

export function createCheckInvariants({ db }: { db: Db }) {
  const ledger = createLedgerRepository({ db });
  return async function checkInvariants(): Promise<InvariantReport> {
    const balanceMismatches = await ledger.balanceMismatches();
    const ordersPaidTwice = await ledger.ordersPaidTwice();
    return {
      ok: balanceMismatches.length === 0 && ordersPaidTwice.length === 0,
      balanceMismatches,
      ordersPaidTwice,
    };
  };
}

export type CheckInvariants = ReturnType<typeof createCheckInvariants>;
