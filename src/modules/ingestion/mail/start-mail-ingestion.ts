// Starts mail ingestion: the mailbox watcher, the reader that examines each message, and the retries of
// payments held for authentication — one authenticator (one DKIM key cache) for new mail and held payments.
import type { BackoffPolicy } from '../../../shared/backoff.ts';
import { type Config, secretsOf } from '../../../shared/config/config.ts';
import type { Db } from '../../../shared/db/database.ts';
import { storeSettingsOf, type Transaction, transactionOf } from '../../../shared/db/store.ts';
import type { RootLogger } from '../../../shared/logger/logger.ts';
import type { Clock } from '../../../shared/ports.ts';
import type { AdminAudience } from '../../notify/admin-audience.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import { type ReviewSettings, reviewSettingsOf } from '../../review/review-settings.ts';
import { createStatementUseCases } from '../../statements/create-statement-use-cases.ts';
import { createRecordUnprocessable } from '../record-unprocessable.ts';
import { startAuthHoldRetrier } from './auth-hold-retrier.ts';
import { createAuthHoldsRepository } from './auth-holds.repository.ts';
import { type AuthenticateMail, mailAuthenticatorFor } from './authenticate-mail.ts';
import { createCursorRepository } from './cursor.repository.ts';
import { createIngestMessages, isTransientIngestError } from './ingest-message.ts';
import { createLedWatcher } from './led-watcher.ts';
import { startMailReader } from './mail-reader.ts';
import { startMailboxWatcher, type WatcherTiming } from './mailbox-watcher.ts';
import { createReportMailboxOutage } from './report-mailbox-outage.ts';
import { createRetryHeldAuthentications } from './retry-held-authentications.ts';

/** Internal knobs, not configuration: tests shorten time-outs and retry intervals. */
export interface MailTuning {
  mailbox?: Partial<WatcherTiming>;
  dnsTimeoutMs?: number;
  authHold?: { retry?: BackoffPolicy; checkMs?: number };
}

export function startMailIngestion(deps: {
  db: Db;
  config: Config;
  rules: readonly NotificationRule[];
  clock: Clock;
  admins: AdminAudience;
  onQueued: () => void;
  logger: RootLogger;
  tuning: MailTuning;
  /** Whether this instance leads (watches the mailbox); the watcher runs between `lead()` and `follow()`. */
  isLeader: () => boolean;
}) {
  const { db, config, clock, onQueued, logger, tuning } = deps;
  const transaction = transactionOf(db, storeSettingsOf(config));
  const review = reviewSettingsOf(config);
  if (config.mail.auth === 'none') {
    logger.warn(
      'MAIL_AUTH=none: notifications are NOT authenticated; a forged e-mail from a trusted address can credit',
    );
  }
  const dns = tuning.dnsTimeoutMs === undefined ? {} : { dnsTimeoutMs: tuning.dnsTimeoutMs };
  const authenticateMail = mailAuthenticatorFor(config.mail, dns);
  const authHoldRetrier = startHeldPaymentRetries({ ...deps, transaction, review, authenticateMail });
  const mailReader = startMailReader({ rules: deps.rules, timeoutMs: config.mail.examineTimeoutMs });
  const watcher = createLedWatcher(() =>
    startMailboxWatcher({
      imap: config.imap,
      maxBytes: config.mail.maxBytes,
      cursors: createCursorRepository({ db }),
      ingest: createIngestMessages({
        transaction,
        review,
        mail: config.mail,
        clock,
        readMail: mailReader.read,
        authenticateMail,
        logger: logger.child({ component: 'ingest' }),
        onQueued,
        onNonPaymentMail: statementMails(deps, authenticateMail),
      }),
      isTransient: isTransientIngestError,
      giveUp: createRecordUnprocessable({
        transaction,
        admins: deps.admins,
        secrets: secretsOf(config),
        clock,
        onQueued,
      }),
      onOutage: createReportMailboxOutage({
        transaction,
        admins: deps.admins,
        mailbox: config.imap.mailbox,
        timeZone: config.timeZone,
        clock,
        onQueued,
      }),
      ...(tuning.mailbox ? { timing: tuning.mailbox } : {}),
      mayFetch: deps.isLeader,
      logger: logger.child({ component: 'imap' }),
    }),
  );
  return {
    watcher,
    /** Stops watching, then lets the reader and the held-payment retries finish. */
    async stop() {
      await watcher.stop();
      await mailReader.close();
      await authHoldRetrier.stop();
    },
  };
}

/**
 * Mail that is no payment, once recorded, is looked at as a possible statement mail (statements/statement-mail.ts),
 * off the watcher's path: a statement's reconciliation never holds the mailbox back.
 */
function statementMails(deps: Parameters<typeof startMailIngestion>[0], authenticateMail: AuthenticateMail) {
  const { db, config, clock, onQueued } = deps;
  const logger = deps.logger.child({ component: 'statements' });
  const { receiveStatementMail } = createStatementUseCases({ db, config, clock, onQueued, logger });
  return (raw: Buffer, sender: string) => {
    receiveStatementMail(raw, sender, authenticateMail).catch((error: unknown) => {
      logger.error({ err: error }, 'reading a possible statement mail failed');
    });
  };
}

/** Payments held because their DKIM key could not be looked up yet, tried again in the background. */
function startHeldPaymentRetries(
  deps: Parameters<typeof startMailIngestion>[0] & {
    transaction: Transaction;
    review: ReviewSettings;
    authenticateMail: ReturnType<typeof mailAuthenticatorFor>;
  },
) {
  const authLogger = deps.logger.child({ component: 'auth-hold' });
  return startAuthHoldRetrier({
    retryHeldAuthentications: createRetryHeldAuthentications({
      transaction: deps.transaction,
      authHolds: createAuthHoldsRepository({ db: deps.db }),
      review: deps.review,
      clock: deps.clock,
      authenticateMail: deps.authenticateMail,
      onQueued: deps.onQueued,
      logger: authLogger,
      ...(deps.tuning.authHold?.retry ? { retry: deps.tuning.authHold.retry } : {}),
    }),
    logger: authLogger,
    ...(deps.tuning.authHold?.checkMs ? { intervalMs: deps.tuning.authHold.checkMs } : {}),
  });
}
