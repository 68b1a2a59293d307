// Wires the admin console: its use cases, its bot handlers, the scheduled health report and the alarms.

import type { Telegraf } from 'telegraf';
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { createStore, transactionOf } from '../../shared/db/store.ts';
import type { Clock, Logger, MailboxState } from '../../shared/ports.ts';
import { createAdjustBalance } from '../customers/adjust-balance.ts';
import type { CatchUpFigures } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import { adminAudienceOf } from '../notify/admin-audience.ts';
import { createSummariseHeldNotices } from '../notify/admin-notices.ts';
import type { Language } from '../notify/customer-texts.ts';
import { createFindOrder } from '../orders/find-order.ts';
import { createRefundOrder } from '../orders/refund-order.ts';
import { createQueueMessage } from '../outbox/queue-message.ts';
import { startAlarmRunner } from '../reports/alarm-runner.ts';
import { createCheckAlarms } from '../reports/check-alarms.ts';
import { createGetStats } from '../reports/get-stats.ts';
import { createHealthReport } from '../reports/health-report.ts';
import { startHealthReportCron } from '../reports/health-report-cron.ts';
import { registerAdminHandlers } from '../telegram/features/admin.ts';
import { createListPending } from './list-pending.ts';
import { createReviewPayment } from './review-payment.ts';

export function startAdmin(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  mailboxState: () => MailboxState;
  mailboxProblem: () => MailboxProblemKind | null;
  mailboxCatchUp: () => CatchUpFigures | null;
  onQueued: () => void;
  logger: Logger;
  alarmCheckMs: number;
  chosenLanguage: (userId: number) => Promise<Language | null>;
}) {
  const { db, config, clock, onQueued, logger } = deps;
  const admins = adminAudienceOf(config);
  const transaction = transactionOf(db);
  const timeZone = config.timeZone;
  const healthReport = createHealthReport({
    db,
    clock,
    timeZone,
    admins,
    mailboxState: deps.mailboxState,
    mailboxProblem: deps.mailboxProblem,
    mailboxCatchUp: deps.mailboxCatchUp,
    onQueued,
  });
  const reportCron = startHealthReportCron({
    expression: config.alarms.healthReportCron,
    timeZone,
    sendReport: healthReport.sendReport,
    logger,
  });
  const checkAlarms = createCheckAlarms({
    db,
    clock,
    timeZone,
    admins,
    silenceMinutes: config.alarms.silenceMinutes,
    onQueued,
  });
  const summariseHeldNotices = createSummariseHeldNotices({
    db,
    clock,
    admins,
    floodPerMinute: config.alarms.floodPerMinute,
    onQueued,
  });
  const alarms = startAlarmRunner({
    // The summaries of held-back notices ride on the alarm check's timer.
    checkAlarms: async () => {
      await checkAlarms();
      await summariseHeldNotices();
    },
    intervalMs: deps.alarmCheckMs,
    logger,
  });
  const useCases = {
    reviewPayment: createReviewPayment({
      transaction,
      clock,
      timeZone,
      adminLanguage: admins.defaultLanguage,
      onQueued,
    }),
    refundOrder: createRefundOrder({ transaction, clock, onQueued }),
    adjustBalance: createAdjustBalance({ db, onQueued }),
    listPending: createListPending({
      transaction,
      settings: { timeZone, nearFen: config.recharge.offsetMaxFen },
      onQueued,
    }),
    getStats: createGetStats({ db, clock, timeZone }),
    findOrder: createFindOrder({ store: createStore(db), timeZone }),
    healthText: healthReport.healthText,
    queueMessage: createQueueMessage({ db, onQueued }),
    chosenLanguage: deps.chosenLanguage,
  };
  return {
    registerHandlers: (bot: Telegraf) =>
      registerAdminHandlers(bot, {
        adminIds: admins.ids,
        defaultLanguage: admins.defaultLanguage,
        useCases,
        logger,
      }),
    async stop() {
      await reportCron.stop();
      await alarms.stop();
    },
  };
}
