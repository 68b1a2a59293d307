// Use case: tell every admin what is wrong with the mailbox (a refused login at once, an outage after a
// while), and that it is back.
import type { Db } from '../adapters/db/database.ts';
import { inTransaction } from '../adapters/db/store.ts';
import type { AdminTexts } from '../domain/admin-texts.ts';
import type { OutageReport } from '../domain/mailbox-outage.ts';
import type { MailboxProblem } from '../domain/mailbox-problem.ts';
import { assertNever } from '../domain/result.ts';
import { formatLocalTime } from '../domain/texts.ts';
import type { AdminAudience } from './admin-audience.ts';
import { notifyAdmins } from './notify-admins.ts';
import type { Clock } from './ports.ts';

export function createReportMailboxOutage(deps: {
  db: Db;
  admins: AdminAudience;
  /** The watched folder (IMAP_MAILBOX), named when it is missing. */
  mailbox: string;
  timeZone: string;
  clock: Clock;
  onQueued: () => void;
}) {
  function problemText(
    texts: AdminTexts,
    problem: MailboxProblem,
    timing: { since: string; minutes: number },
  ): string {
    switch (problem.kind) {
      case 'login_refused':
        return texts.mailboxLoginRefused({ server: problem.detail });
      case 'mailbox_missing':
        return texts.mailboxFolderMissing({ mailbox: deps.mailbox, server: problem.detail });
      case 'tls_mismatch':
        return texts.mailboxTlsMismatch({ server: problem.detail });
      case 'certificate_rejected':
        return texts.mailboxCertificateRejected({ server: problem.detail });
      case 'unreachable':
        return texts.mailboxUnreachable(timing);
      default:
        return assertNever(problem.kind);
    }
  }

  return async function reportMailboxOutage(report: OutageReport): Promise<void> {
    const since = formatLocalTime(new Date(report.downSince), deps.timeZone);
    const minutes = Math.max(1, Math.round((deps.clock.now().getTime() - report.downSince) / 60_000));
    await inTransaction(deps.db, (store) =>
      notifyAdmins(store, deps.admins, (texts) =>
        report.kind === 'problem'
          ? problemText(texts, report.problem, { since, minutes })
          : texts.mailboxBack({ since, minutes }),
      ),
    );
    deps.onQueued();
  };
}
