// Use case: an admin's statement reconciled with what the monitor recorded. Missed transactions are recorded
// (source 'statement', keyed by provider and transaction id, so a statement sent again or an overlapping
// one adds nothing) and go to review as `missed_by_monitor`; unconfirmed credits raise an alarm to every admin.
import { createHash } from 'node:crypto';
import type { Db } from '../../shared/db/database.ts';
import type { Transaction } from '../../shared/db/store.ts';
import type { NotificationToRecord, RecordNotifications } from '../ingestion/record-notification.ts';
import { type AdminAudience, adminLanguagesByChat } from '../notify/admin-audience.ts';
import { statementTextsFor } from '../notify/admin-statement-texts.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { MATCH_WINDOW_MS, type Reconciliation, reconcile } from './reconcile.ts';
import { isIncomingSuccess, type Statement, type StatementRow } from './statement.models.ts';
import { createStatementsRepository } from './statements.repository.ts';

export interface StatementOutcome {
  statement: Statement;
  result: Reconciliation;
  /** The missed transactions recorded now (the others were recorded by an earlier statement). */
  recordedNow: number;
  /** Rows not reconciled: outgoing or neutral, incoming but not successful, from before the monitor ran. */
  ignored: { outgoing: number; unsuccessful: number; beforeMonitoring: number };
}

/** Recorded in batches: a year of missed payments never becomes one huge transaction. */
const RECORD_BATCH = 500;

export function createReconcileStatement(deps: {
  db: Db;
  transaction: Transaction;
  recordNotifications: RecordNotifications;
  admins: AdminAudience;
  timeZone: string;
  onQueued: () => void;
}) {
  const statements = createStatementsRepository({ db: deps.db });
  return async function reconcileStatement(statement: Statement): Promise<StatementOutcome> {
    const since = await statements.monitoringSince();
    const watched = (row: StatementRow) => since !== null && new Date(row.time) >= since;
    const successful = statement.rows.filter(isIncomingSuccess);
    const incoming = successful.filter(watched);
    const { from, to } = statement.period;
    const recorded = await statements.recordedAround(
      statement.provider,
      new Date(from.getTime() - MATCH_WINDOW_MS),
      new Date(to.getTime() + MATCH_WINDOW_MS),
    );
    const result = reconcile(incoming, recorded, statement.period);
    const fresh = result.missed.flatMap((m) =>
      m.recordedAs === null ? [toRecord(statement.provider, m.row)] : [],
    );
    let recordedNow = 0;
    for (let i = 0; i < fresh.length; i += RECORD_BATCH) {
      const outcomes = await deps.recordNotifications(fresh.slice(i, i + RECORD_BATCH));
      recordedNow += outcomes.filter((outcome) => outcome.kind !== 'duplicate').length;
    }
    if (result.unconfirmed.length > 0) await raiseUnconfirmedAlarm(deps, statement, result);
    return {
      statement,
      result,
      recordedNow,
      ignored: {
        outgoing: statement.rows.filter((row) => row.direction !== 'in').length,
        unsuccessful: statement.rows.filter((row) => row.direction === 'in' && !row.successful).length,
        beforeMonitoring: successful.length - incoming.length,
      },
    };
  };
}

export type ReconcileStatement = ReturnType<typeof createReconcileStatement>;

/** A statement's transaction as a notification from the 'statement' source, settled by an admin only. */
function toRecord(provider: Provider, row: StatementRow): NotificationToRecord {
  // Both apps give every transaction an id; a row without one is keyed by what it says.
  const key =
    row.transactionId ??
    createHash('sha256')
      .update(`${row.time}|${row.amountFen}|${row.payer ?? ''}`)
      .digest('hex')
      .slice(0, 32);
  return {
    source: 'statement',
    sourceKey: `${provider}:${key}`,
    message: { metadata: { provider }, sender: null, subject: null, receivedAt: null },
    notification: {
      kind: 'payment',
      payment: {
        kind: 'payment',
        ruleId: `statement:${provider}`,
        provider,
        amountFen: row.amountFen,
        payer: row.payer,
        memo: row.memo,
        transactionId: row.transactionId,
        time: row.time,
        notificationText: `${row.time} ${row.amountFen}`,
        doubt: null,
      },
      auth: { verdict: 'statement', detail: "the payee's statement, sent by an admin" },
    },
  };
}

async function raiseUnconfirmedAlarm(
  deps: { transaction: Transaction; admins: AdminAudience; timeZone: string; onQueued: () => void },
  statement: Statement,
  result: Reconciliation,
): Promise<void> {
  await deps.transaction(async (store) => {
    const chats = await adminLanguagesByChat(store, deps.admins);
    await store.outbox.enqueue(
      chats.map(({ chatId, language }) => {
        const texts = statementTextsFor(language);
        return {
          chatId,
          message: {
            method: 'sendMessage',
            text: texts.unconfirmedAlarm(statement, result.unconfirmed, deps.timeZone),
          },
        };
      }),
    );
  });
  deps.onQueued();
}
