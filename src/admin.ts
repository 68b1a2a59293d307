// Wires the admin console: its use cases, its bot handlers, the scheduled health report and the alarms.

import type { Telegraf } from 'telegraf';
import type { Db } from './adapters/db/database.ts';
import { startAlarmRunner } from './adapters/scheduler/alarm-runner.ts';
import { startHealthReportCron } from './adapters/scheduler/health-report-cron.ts';
import { registerAdminHandlers } from './adapters/telegram/admin-bot.ts';
import { createAdjustBalance } from './app/adjust-balance.ts';
import { adminAudienceOf } from './app/admin-audience.ts';
import { createSummariseHeldNotices } from './app/admin-notices.ts';
import { createCheckAlarms } from './app/check-alarms.ts';
import { createFindOrder } from './app/find-order.ts';
import { createGetStats } from './app/get-stats.ts';
import { createHealthReport } from './app/health-report.ts';
import { createListPending } from './app/list-pending.ts';
import type { Clock, Logger, MailboxState } from './app/ports.ts';
import { createQueueMessage } from './app/queue-message.ts';
import { createRefundOrder } from './app/refund-order.ts';
import { createReviewPayment } from './app/review-payment.ts';
import type { Config } from './config.ts';
import type { CatchUpFigures } from './domain/catch-up-progress.ts';
import type { MailboxProblemKind } from './domain/mailbox-problem.ts';
import type { Language } from './domain/texts.ts';

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
      db,
      clock,
      timeZone,
      adminLanguage: admins.defaultLanguage,
      onQueued,
    }),
    refundOrder: createRefundOrder({ db, clock, onQueued }),
    adjustBalance: createAdjustBalance({ db, onQueued }),
    listPending: createListPending({
      db,
      settings: { timeZone, nearFen: config.recharge.offsetMaxFen },
      onQueued,
    }),
    getStats: createGetStats({ db, clock, timeZone }),
    findOrder: createFindOrder({ db, timeZone }),
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
