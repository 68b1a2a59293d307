// The alarms section of the configuration: when the admins are warned, and the daily report.
import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { int } from './config-values.ts';

/** node-cron's own check, so that what passes here also schedules. */
const cronExpression = z.string().superRefine((expression, ctx) => {
  const [first] = validateDetailed(expression).errors;
  if (!first) return;
  const why = first.field === 'expression' ? first.message : `${first.field} "${first.value}" is not valid`;
  ctx.addIssue({ code: 'custom', message: `expected a cron expression like "0 9 * * *" (${why})` });
});

export const alarmsEnv = z.object({
  SILENCE_ALARM_MINUTES: int(1, 10_080, 'a number of minutes').default(30),
  ADMIN_FLOOD_PER_MINUTE: int(1, 1_000, 'a number of messages').default(5),
  HEALTH_REPORT_CRON: cronExpression.default('0 9 * * *'),
});

export type AlarmsConfig = {
  silenceMinutes: number;
  healthReportCron: string;
  /** Unauthenticated cards, and given-up customer messages, told one by one per minute; then summaries. */
  floodPerMinute: number;
};

export function toAlarmsConfig(env: z.infer<typeof alarmsEnv>): AlarmsConfig {
  return {
    silenceMinutes: env.SILENCE_ALARM_MINUTES,
    healthReportCron: env.HEALTH_REPORT_CRON,
    floodPerMinute: env.ADMIN_FLOOD_PER_MINUTE,
  };
}
