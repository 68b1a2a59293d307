// Use case: tell every admin what is wrong with the mailbox (a refused login at once, an outage after a
// while), and that it is back.
import type { Transaction } from '../../../shared/db/store.ts';
import type { Clock } from '../../../shared/ports.ts';
import { assertNever } from '../../../shared/result.ts';
import type { AdminAudience } from '../../notify/admin-audience.ts';
import type { AdminTexts } from '../../notify/admin-texts.ts';
import { formatLocalTime } from '../../notify/customer-texts.ts';
import { notifyAdmins } from '../../notify/notify-admins.ts';
import type { OutageReport } from './mailbox-outage.ts';
import type { MailboxProblem } from './mailbox-problem.ts';

export function createReportMailboxOutage(deps: {
  transaction: Transaction;
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
    await deps.transaction((store) =>
      notifyAdmins(store, deps.admins, (texts) =>
        report.kind === 'problem'
          ? problemText(texts, report.problem, { since, minutes })
          : texts.mailboxBack({ since, minutes }),
      ),
    );
    deps.onQueued();
  };
}
