// Starts the admins' reports: the scheduled health report, the alarm checks and, on their timer, the
// summaries of held-back admin notices; gives /health and /stats their use cases.
import type { Db } from '../../shared/db/database.ts';
import { createStore, transactionOf } from '../../shared/db/store.ts';
import type { Clock, Logger, MailboxState } from '../../shared/ports.ts';
import type { CatchUpFigures } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import type { LeaderOnly } from '../instances/leader-jobs.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { createSummariseHeldNotices } from '../notify/admin-notices.ts';
import { startAlarmRunner } from './alarm-runner.ts';
import { createCheckAlarms } from './check-alarms.ts';
import { createGetStats } from './get-stats.ts';
import { createHealthReport } from './health-report.ts';
import { startHealthReportCron } from './health-report-cron.ts';
import { createWeekChart } from './week-chart.ts';

export function startReports(deps: {
  db: Db;
  clock: Clock;
  admins: AdminAudience;
  settings: {
    timeZone: string;
    healthReportCron: string;
    silenceMinutes: number;
    floodPerMinute: number;
    /** Sources watched on their own by the silence alarm and shown in /health (the forwarder webhook). */
    sources: readonly string[];
  };
  mailbox: {
    state: () => MailboxState;
    problem: () => MailboxProblemKind | null;
    catchUp: () => CatchUpFigures | null;
  };
  alarmCheckMs: number;
  /** Runs a scheduled job on the mailbox leader only, once across instances. */
  leaderOnly: LeaderOnly;
  onQueued: () => void;
  logger: Logger;
}) {
  const { db, clock, admins, settings, onQueued, logger } = deps;
  const { timeZone } = settings;
  const store = createStore(db);
  const transaction = transactionOf(db);
  const healthReport = createHealthReport({
    store,
    transaction,
    clock,
    timeZone,
    admins,
    mailboxState: deps.mailbox.state,
    mailboxProblem: deps.mailbox.problem,
    mailboxCatchUp: deps.mailbox.catchUp,
    sources: settings.sources,
    weekChart: createWeekChart({ db, clock, timeZone }),
    onQueued,
  });
  const sendReport = deps.leaderOnly('health-report', healthReport.sendReport, undefined);
  const { healthReportCron: expression } = settings;
  const reportCron = startHealthReportCron({ expression, timeZone, sendReport, logger });
  const checkAlarms = createCheckAlarms({
    transaction,
    clock,
    timeZone,
    admins,
    silenceMinutes: settings.silenceMinutes,
    silentSources: settings.sources,
    onQueued,
  });
  const summariseHeldNotices = createSummariseHeldNotices({
    transaction,
    clock,
    admins,
    floodPerMinute: settings.floodPerMinute,
    onQueued,
  });
  const alarms = startAlarmRunner({
    // The summaries of held-back notices ride on the alarm check's timer.
    checkAlarms: deps.leaderOnly(
      'alarms',
      async () => {
        await checkAlarms();
        await summariseHeldNotices();
      },
      undefined,
    ),
    intervalMs: deps.alarmCheckMs,
    logger,
  });
  return {
    healthText: healthReport.healthText,
    getStats: createGetStats({ reports: store.reports, clock, timeZone }),
    async stop() {
      await reportCron.stop();
      await alarms.stop();
    },
  };
}

export type Reports = ReturnType<typeof startReports>;
