// Examining messages from the mailbox — decode, parse, authenticate — without touching the database.
import type { Config } from '../../../shared/config/config.ts';
import type { Clock, Logger } from '../../../shared/ports.ts';
import type { PaymentNotification } from '../../payments/notification/parse-notification.ts';
import type { NewPayment } from '../../payments/payments.repository.ts';
import type { AuthenticateMail, MailAuthentication, MailIdentity } from './authenticate-mail.ts';
import type { ReadMail } from './read-mail.ts';
import { type Read, readMessage } from './read-message.ts';

export interface IncomingMessage {
  mailbox: string;
  uidValidity: bigint;
  uid: number;
  size: number;
  /** Null when the message is larger than MAIL_MAX_BYTES: it is recorded from its envelope, never parsed. */
  raw: Buffer | null;
  envelope: { messageId: string | null; subject: string; from: string };
  /** The server's arrival time (INTERNALDATE). */
  receivedAt: Date | null;
}

export type DescribedMessage = Omit<NewPayment, 'parseKind' | 'authResult' | 'status'>;

/** What examining a message found, to be recorded. */
export type Examined =
  | { kind: 'failure'; payment: Omit<NewPayment, 'authResult' | 'status'>; reason: string; snippet?: string }
  | { kind: 'ignored'; described: DescribedMessage; parseKind: 'not_payment' | 'unparsed' }
  | {
      kind: 'payment';
      described: DescribedMessage;
      payment: PaymentNotification;
      auth: MailAuthentication;
      /** Kept with a payment held for another DKIM try (temperror), which re-checks the same identity. */
      identity: MailIdentity;
    };

export function createExamineMessages(deps: {
  mail: Config['mail'];
  clock: Clock;
  /** Decodes and parses a message within a deadline (the mail-reader thread). */
  readMail: ReadMail;
  authenticateMail: AuthenticateMail;
  logger: Logger;
}) {
  const reader = { mail: deps.mail, clock: deps.clock, readMail: deps.readMail, logger: deps.logger };

  /**
   * Examines `messages` in order: all are decoded and parsed first, then the payments' signatures are
   * checked — one library at a time runs markedly faster than the two in turn. Stops at the first message
   * that throws: `examined` holds those before it, `error` what it threw. A DKIM key that cannot be looked
   * up does not throw: the payment is examined with a `temperror` verdict and held for another try.
   */
  return async function examineMessages(
    messages: readonly IncomingMessage[],
  ): Promise<{ examined: Examined[]; error?: unknown }> {
    const read: Read[] = [];
    let error: unknown;
    try {
      for (const message of messages) read.push(await readMessage(reader, message));
    } catch (thrown) {
      error = thrown;
    }
    const examined: Examined[] = [];
    for (const item of read) {
      if (item.kind !== 'unchecked') {
        examined.push(item);
        continue;
      }
      const { described, payment, raw, identity } = item;
      try {
        const auth = await deps.authenticateMail(raw, identity);
        examined.push({ kind: 'payment', described, payment, auth, identity });
      } catch (thrown) {
        return { examined, error: thrown };
      }
    }
    return error === undefined ? { examined } : { examined, error };
  };
}
