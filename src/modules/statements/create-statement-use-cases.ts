// Wires the statement use cases: reconciliation records missed transactions through the one
// record-notification path (source 'statement'), and /export reads the period.
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { transactionOf } from '../../shared/db/store.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import { createRecordNotification } from '../ingestion/record-notification.ts';
import { adminAudienceOf } from '../notify/admin-audience.ts';
import { reviewSettingsOf } from '../review/review-settings.ts';
import { createExportPeriod } from './export-period.ts';
import { createReconcileStatement } from './reconcile-statement.ts';
import { createReceiveStatementMail } from './statement-mail.ts';
import { createReconcileStatementFile } from './statement-use-cases.ts';

export function createStatementUseCases(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  onQueued: () => void;
  logger: Logger;
}) {
  const { db, config, clock, onQueued } = deps;
  const transaction = transactionOf(db);
  const recordNotifications = createRecordNotification({
    transaction,
    review: reviewSettingsOf(config),
    clock,
    onQueued,
  });
  const reconcileStatement = createReconcileStatement({
    db,
    transaction,
    recordNotifications,
    admins: adminAudienceOf(config),
    timeZone: config.timeZone,
    onQueued,
  });
  const reconcileStatementFile = createReconcileStatementFile(reconcileStatement);
  return {
    reconcileStatementFile,
    receiveStatementMail: createReceiveStatementMail({
      trustedSenders: config.mail.trustedSenders,
      reconcileStatementFile,
      transaction,
      admins: adminAudienceOf(config),
      timeZone: config.timeZone,
      onQueued,
      logger: deps.logger,
    }),
    exportPeriod: createExportPeriod({ db, timeZone: config.timeZone }),
    timeZone: config.timeZone,
  };
}
