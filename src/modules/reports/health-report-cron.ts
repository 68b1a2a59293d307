// Runs the admins' health report on HEALTH_REPORT_CRON in TZ (node-cron 4: five fields, or six with seconds).
import { createTask } from 'node-cron';
import type { Logger } from '../../shared/ports.ts';

export function startHealthReportCron(options: {
  expression: string;
  timeZone: string;
  sendReport: () => Promise<void>;
  logger: Logger;
}) {
  const task = createTask(options.expression, () => options.sendReport(), {
    name: 'health-report',
    timezone: options.timeZone,
    noOverlap: true,
  });
  task.on('execution:failed', (context) => {
    options.logger.error({ err: context.execution?.error }, 'health report failed');
  });
  void task.start();
  return {
    async stop() {
      await task.destroy();
    },
  };
}
