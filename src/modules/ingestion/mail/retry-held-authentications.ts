// Use case: payments held because their aligned DKIM key could not be looked up are checked again with back-off;
// once the signature can be judged they take the one settling path, and after 30 minutes they go to review.

import { type BackoffPolicy, nextDelay } from '../../../shared/backoff.ts';
import type { Transaction } from '../../../shared/db/store.ts';
import type { Clock, Logger } from '../../../shared/ports.ts';
import { paidAtFrom } from '../../payments/matching.ts';
import { type SettledOutcome, settlePayments } from '../../payments/settle-payments.ts';
import type { ReviewSettings } from '../../review/review-settings.ts';
import type { AuthHold, createAuthHoldsRepository } from './auth-holds.repository.ts';
import type { AuthenticateMail, MailAuthentication } from './authenticate-mail.ts';

/** SPEC §7: an aligned signature's look-up failure is retried for at most this long, then reviewed. */
export const AUTH_HOLD_WINDOW_MS = 30 * 60_000;
/** DNS outages last minutes: start soon, then settle at a try every few minutes. */
export const AUTH_RETRY: BackoffPolicy = { baseMs: 15_000, maxMs: 5 * 60_000 };
/** Holds tried per round: each may wait for a DNS time-out. */
const HOLDS_PER_ROUND = 20;

export type HoldOutcome =
  | { paymentId: number; kind: 'postponed'; nextAttemptAt: Date }
  | SettledOutcome
  /** Another process decided it first. */
  | { paymentId: number; kind: 'taken' };

export function createRetryHeldAuthentications(deps: {
  transaction: Transaction;
  /** Read and postponed outside a transaction: each hold is claimed inside one before it is settled. */
  authHolds: ReturnType<typeof createAuthHoldsRepository>;
  review: ReviewSettings;
  clock: Clock;
  authenticateMail: AuthenticateMail;
  logger: Logger;
  onQueued: () => void;
  retry?: BackoffPolicy;
  random?: () => number;
}) {
  const retry = deps.retry ?? AUTH_RETRY;
  const random = deps.random ?? Math.random;

  /** Tries every hold that is due; returns what became of each. */
  return async function retryHeldAuthentications(): Promise<HoldOutcome[]> {
    const due = await deps.authHolds.due(deps.clock.now(), HOLDS_PER_ROUND);
    const outcomes: HoldOutcome[] = [];
    for (const hold of due) {
      const auth = await deps.authenticateMail(hold.raw, hold.identity);
      outcomes.push(await decide(hold, auth));
    }
    if (outcomes.some((outcome) => outcome.kind === 'credited' || outcome.kind === 'review')) deps.onQueued();
    return outcomes;
  };

  async function decide(hold: AuthHold, auth: MailAuthentication): Promise<HoldOutcome> {
    const now = deps.clock.now();
    const deadline = hold.heldSince.getTime() + AUTH_HOLD_WINDOW_MS;
    const { paymentId } = hold;
    if (auth.verdict === 'temperror' && now.getTime() < deadline) {
      const attempts = hold.attempts + 1;
      const next = new Date(Math.min(deadline, now.getTime() + nextDelay(attempts, retry, random())));
      await deps.authHolds.postpone(paymentId, attempts, next);
      return { paymentId, kind: 'postponed', nextAttemptAt: next };
    }
    return deps.transaction(async (store) => {
      // Claiming and settling commit together: a crash re-tries the hold, a second process finds it gone.
      if (!(await store.authHolds.claim(paymentId))) return { paymentId, kind: 'taken' } as const;
      const authDetail =
        auth.verdict === 'temperror'
          ? `${auth.detail} (DKIM keys unreachable for ${AUTH_HOLD_WINDOW_MS / 60_000} minutes)`
          : auth.detail;
      const row = await store.payments.setAuthentication(paymentId, { authResult: auth.verdict, authDetail });
      if (!row) throw new Error(`held payment ${paymentId} is missing`);
      const earlier =
        row.authResult === 'pass' && row.fingerprint
          ? await store.payments.withFingerprints([row.fingerprint])
          : [];
      const paidAt = paidAtFrom(row.notifiedAt, row.receivedAt ?? row.processedAt);
      const [outcome] = await settlePayments(store, { review: deps.review, now }, [{ row, paidAt }], earlier);
      if (!outcome) throw new Error(`held payment ${paymentId} was not settled`);
      deps.logger.info({ paymentId, outcome: outcome.kind, auth: auth.verdict }, 'held payment decided');
      return outcome;
    });
  }
}

export type RetryHeldAuthentications = ReturnType<typeof createRetryHeldAuthentications>;
