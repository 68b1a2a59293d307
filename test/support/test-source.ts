// The smallest second ingestion source, as a newcomer would write one (a forwarder webhook, say): it reads
// what arrives into a notification and hands it to record-notification. No payments, orders or schema code.

import type { IngestOutcome, RecordNotifications } from '../../src/modules/ingestion/record-notification.ts';
import type { PaymentNotification } from '../../src/modules/payments/notification/parse-notification.ts';
import type { Store } from '../../src/shared/db/store.ts';

/** One delivery: a request id (the dedupe key) and the payment it reports. */
export interface TestDelivery {
  requestId: string;
  amountFen: number;
  memo: string | null;
}

export function createTestSource(deps: {
  recordNotifications: RecordNotifications;
  /** The source's own bookkeeping, run in the recording transaction (a webhook would acknowledge here). */
  acknowledge: (store: Store, requestId: string, outcome: IngestOutcome) => Promise<void>;
}) {
  return async function deliver(delivery: TestDelivery): Promise<IngestOutcome | undefined> {
    const payment: PaymentNotification = {
      kind: 'payment',
      ruleId: 'test-source',
      provider: 'alipay',
      amountFen: delivery.amountFen,
      payer: null,
      memo: delivery.memo,
      transactionId: null,
      time: null,
      notificationText: `test ${delivery.requestId}`,
      doubt: null,
    };
    const [outcome] = await deps.recordNotifications([
      {
        source: 'test',
        sourceKey: delivery.requestId,
        message: { metadata: { requestId: delivery.requestId }, receivedAt: new Date() },
        notification: { kind: 'payment', payment, auth: { verdict: 'pass', detail: 'signed request' } },
        checkpoint: (store, recorded) => deps.acknowledge(store, delivery.requestId, recorded),
      },
    ]);
    return outcome;
  };
}
