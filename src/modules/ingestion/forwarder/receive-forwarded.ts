// Use case: one SmsForwarder webhook body → refused with a reason (counted), or recorded once through
// record-notification and answered only after the commit.
//
// Retries and replays. The sign depends on the timestamp alone, so a (timestamp, sign) pair is taken once,
// in the transaction that records the notification. The same body again is SmsForwarder retrying a request
// whose answer it lost: it is answered `ok` again and changes nothing. Another body with a taken pair is a
// replay of a captured sign with other content: 409.
import { createHash } from 'node:crypto';
import { isUniqueViolation } from '../../../shared/db/database.ts';
import type { Store, Transaction } from '../../../shared/db/store.ts';
import type { Clock, Logger } from '../../../shared/ports.ts';
import type { AdminAudience } from '../../notify/admin-audience.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import type { IngestOutcome, RecordNotifications } from '../record-notification.ts';
import { type ForwarderRequest, readForwarderRequest } from './forwarder-request.ts';
import { forwarderSign, signMatches } from './forwarder-sign.ts';
import { recordForwarded } from './record-forwarded.ts';

/** How far the sender's clock may be from ours (SPEC §9). */
export const TIMESTAMP_WINDOW_MS = 3_600_000;

export type Refusal =
  | 'unknown_token'
  | 'too_large'
  | 'malformed'
  | 'stale_timestamp'
  | 'bad_sign'
  | 'replayed';

export type ForwarderAnswer =
  | { kind: 'recorded'; outcome: IngestOutcome }
  /** The same body as a request already recorded: SmsForwarder's retry. */
  | { kind: 'retried' }
  | { kind: 'refused'; reason: Refusal };

interface Signed {
  request: ForwarderRequest;
  signedAt: number;
  bodyDigest: string;
}

export function createReceiveForwarded(deps: {
  secret: string;
  rules: readonly NotificationRule[];
  transaction: Transaction;
  recordNotifications: RecordNotifications;
  admins: AdminAudience;
  clock: Clock;
  onQueued: () => void;
  logger: Logger;
}) {
  /** Logs and counts a refusal; the caller answers with nothing but its status. */
  async function refuse(reason: Refusal, detail: object = {}): Promise<ForwarderAnswer> {
    deps.logger.warn({ reason, ...detail }, 'forwarder request refused');
    await deps.transaction((store) => store.forwarder.countRefusal(reason, deps.clock.now()));
    return { kind: 'refused', reason };
  }

  /** An earlier request with this timestamp: the same body is a retry, another one a replay. */
  async function repeated({ signedAt, bodyDigest }: Signed): Promise<ForwarderAnswer | null> {
    const taken = await deps.transaction((store) => store.forwarder.takenDigest(signedAt));
    if (taken === null) return null;
    return taken === bodyDigest ? { kind: 'retried' } : refuse('replayed', { signedAt });
  }

  async function record(signed: Signed): Promise<ForwarderAnswer> {
    const receivedAt = deps.clock.now();
    const { signedAt, bodyDigest } = signed;
    const take = (store: Store) => store.forwarder.takeRequest({ signedAt, bodyDigest, receivedAt });
    try {
      const outcome = await recordForwarded(deps, { request: signed.request, receivedAt, take });
      return { kind: 'recorded', outcome };
    } catch (error) {
      // Another request with this timestamp committed first (a retry racing its original, or a replay).
      if (!isUniqueViolation(error)) throw error;
      const answer = await repeated(signed);
      if (answer) return answer;
      throw error;
    }
  }

  /** Checks `body` in the order that costs least first; records it only once it is known to be genuine. */
  return {
    refuse,
    async receiveForwarded(body: Buffer): Promise<ForwarderAnswer> {
      const request = readForwarderRequest(body);
      if (!request) return refuse('malformed', { bytes: body.length });
      const signedAt = Number(request.timestamp);
      const skewMs = deps.clock.now().getTime() - signedAt;
      if (Math.abs(skewMs) > TIMESTAMP_WINDOW_MS) return refuse('stale_timestamp', { skewMs });
      if (!signMatches(request.sign, forwarderSign(deps.secret, request.timestamp)))
        return refuse('bad_sign');
      const signed = {
        request,
        signedAt,
        bodyDigest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      };
      return (await repeated(signed)) ?? record(signed);
    },
  };
}

export type ForwarderIntake = ReturnType<typeof createReceiveForwarded>;
