// Use case: tell every admin that the mailbox has been unreachable for a while, and that it is back.
import type { Db } from '../adapters/db/database.ts';
import { inTransaction } from '../adapters/db/store.ts';
import type { OutageReport } from '../domain/mailbox-outage.ts';
import { formatLocalTime } from '../domain/texts.ts';
import type { AdminAudience } from './admin-audience.ts';
import { notifyAdmins } from './notify-admins.ts';
import type { Clock } from './ports.ts';

export function createReportMailboxOutage(deps: {
  db: Db;
  admins: AdminAudience;
  timeZone: string;
  clock: Clock;
  onQueued: () => void;
}) {
  return async function reportMailboxOutage(report: OutageReport): Promise<void> {
    const since = formatLocalTime(new Date(report.downSince), deps.timeZone);
    const minutes = Math.max(1, Math.round((deps.clock.now().getTime() - report.downSince) / 60_000));
    await inTransaction(deps.db, (store) =>
      notifyAdmins(store, deps.admins, (texts) =>
        report.kind === 'unreachable'
          ? texts.mailboxUnreachable({ since, minutes })
          : texts.mailboxBack({ since, minutes }),
      ),
    );
    deps.onQueued();
  };
}
