// Use case: tell every admin that the mailbox has been unreachable for a while, and that it is back.
import type { Db } from '../adapters/db/database.ts';
import { inTransaction } from '../adapters/db/store.ts';
import { adminTexts } from '../domain/admin-texts.ts';
import type { OutageReport } from '../domain/mailbox-outage.ts';
import { formatLocalTime } from '../domain/texts.ts';
import { notifyAdmins } from './notify-admins.ts';
import type { Clock } from './ports.ts';

export function createReportMailboxOutage(deps: {
  db: Db;
  adminIds: readonly number[];
  timeZone: string;
  clock: Clock;
  onQueued: () => void;
}) {
  return async function reportMailboxOutage(report: OutageReport): Promise<void> {
    const since = formatLocalTime(new Date(report.downSince), deps.timeZone);
    const minutes = Math.max(1, Math.round((deps.clock.now().getTime() - report.downSince) / 60_000));
    const text =
      report.kind === 'unreachable'
        ? adminTexts.mailboxUnreachable({ since, minutes })
        : adminTexts.mailboxBack({ since, minutes });
    await inTransaction(deps.db, (store) => notifyAdmins(store, deps.adminIds, text));
    deps.onQueued();
  };
}
