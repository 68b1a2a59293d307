// Use case: tell every admin what is wrong with the mailbox (a refused login at once, an outage after a
// while), and that it is back.
import type { Db } from '../adapters/db/database.ts';
import { inTransaction } from '../adapters/db/store.ts';
import { adminTexts } from '../domain/admin-texts.ts';
import type { OutageReport } from '../domain/mailbox-outage.ts';
import type { MailboxProblem } from '../domain/mailbox-problem.ts';
import { assertNever } from '../domain/result.ts';
import { formatLocalTime } from '../domain/texts.ts';
import { notifyAdmins } from './notify-admins.ts';
import type { Clock } from './ports.ts';

export function createReportMailboxOutage(deps: {
  db: Db;
  adminIds: readonly number[];
  /** The watched folder (IMAP_MAILBOX), named when it is missing. */
  mailbox: string;
  timeZone: string;
  clock: Clock;
  onQueued: () => void;
}) {
  function problemText(problem: MailboxProblem, timing: { since: string; minutes: number }): string {
    switch (problem.kind) {
      case 'login_refused':
        return adminTexts.mailboxLoginRefused({ server: problem.detail });
      case 'mailbox_missing':
        return adminTexts.mailboxFolderMissing({ mailbox: deps.mailbox, server: problem.detail });
      case 'tls_mismatch':
        return adminTexts.mailboxTlsMismatch({ server: problem.detail });
      case 'certificate_rejected':
        return adminTexts.mailboxCertificateRejected({ server: problem.detail });
      case 'unreachable':
        return adminTexts.mailboxUnreachable(timing);
      default:
        return assertNever(problem.kind);
    }
  }

  return async function reportMailboxOutage(report: OutageReport): Promise<void> {
    const since = formatLocalTime(new Date(report.downSince), deps.timeZone);
    const minutes = Math.max(1, Math.round((deps.clock.now().getTime() - report.downSince) / 60_000));
    const text =
      report.kind === 'problem'
        ? problemText(report.problem, { since, minutes })
        : adminTexts.mailboxBack({ since, minutes });
    await inTransaction(deps.db, (store) => notifyAdmins(store, deps.adminIds, text));
    deps.onQueued();
  };
}
