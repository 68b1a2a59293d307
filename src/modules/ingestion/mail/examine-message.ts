// Examining messages from the mailbox — decode, parse, authenticate — without touching the database.
import { createHash } from 'node:crypto';
import type { Config } from '../../../shared/config/config.ts';
import type { Clock, Logger } from '../../../shared/ports.ts';
import { assertNever } from '../../../shared/result.ts';
import type { PaymentNotification } from '../../payments/notification/parse-notification.ts';
import type { NewPayment } from '../../payments/payments.repository.ts';
import { cleanEnvelope } from '../record-failed-message.ts';
import type { AuthenticateMail, MailAuthentication, MailIdentity } from './authenticate-mail.ts';
import type { DecodedMail } from './decode-mail.ts';
import type { ReadMail } from './read-mail.ts';
import { trustedSenderEntry } from './trusted-senders.ts';

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
  | { kind: 'ignored'; payment: NewPayment }
  | {
      kind: 'payment';
      described: DescribedMessage;
      payment: PaymentNotification;
      auth: MailAuthentication;
      /** Kept with a payment held for another DKIM try (temperror), which re-checks the same identity. */
      identity: MailIdentity;
    };

/** A payment read from its message, its signature not yet checked. */
type Read =
  | Exclude<Examined, { kind: 'payment' }>
  | {
      kind: 'unchecked';
      described: DescribedMessage;
      payment: PaymentNotification;
      raw: Buffer;
      identity: MailIdentity;
    };

export function createExamineMessages(deps: {
  config: Config;
  clock: Clock;
  /** Decodes and parses a message within a deadline (the mail-reader thread). */
  readMail: ReadMail;
  authenticateMail: AuthenticateMail;
  logger: Logger;
}) {
  const { config, clock } = deps;

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
      for (const message of messages) read.push(await readMessage(message));
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

  async function readMessage(message: IncomingMessage): Promise<Read> {
    const base = {
      mailbox: message.mailbox,
      uidValidity: message.uidValidity,
      uid: message.uid,
      receivedAt: message.receivedAt,
      processedAt: clock.now(),
    };
    const raw = message.raw;
    if (raw === null || raw.length > config.mail.maxBytes) {
      const envelope = cleanEnvelope(message.envelope);
      const messageKey = envelope.messageId ?? `envelope:${message.uidValidity}:${message.uid}`;
      const tooLarge = {
        ...base,
        messageKey,
        sender: envelope.from,
        subject: envelope.subject,
        parseKind: 'too_large',
      };
      return { kind: 'failure', payment: tooLarge, reason: `too large (${message.size} bytes)` };
    }
    const digestKey = () => `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const reading = await deps.readMail(raw);
    if (reading.kind === 'timeout') {
      const seconds = reading.timeoutMs / 1000;
      deps.logger.error(
        { uid: message.uid, timeoutMs: reading.timeoutMs },
        'examining a message took too long',
      );
      return {
        kind: 'failure',
        payment: { ...base, messageKey: digestKey(), parseKind: 'examine_timeout' },
        reason: `examination took longer than ${seconds} s`,
      };
    }
    if (reading.kind === 'undecodable') {
      deps.logger.warn({ error: reading.error, uid: message.uid }, 'message could not be decoded');
      return {
        kind: 'failure',
        payment: { ...base, messageKey: digestKey(), parseKind: 'undecodable' },
        reason: 'undecodable',
      };
    }

    const { mail } = reading;
    const fromAddress = mail.from[0]?.address ?? '';
    const described = {
      ...base,
      messageKey: mail.messageId ?? digestKey(),
      sender: mail.from.map((f) => f.address).join(', '),
      subject: mail.subject.slice(0, 500),
    };
    if (reading.kind === 'parser_error') {
      deps.logger.error({ error: reading.error, uid: message.uid }, 'parser threw');
      return {
        kind: 'failure',
        payment: { ...described, parseKind: 'parser_error' },
        reason: 'parser error',
      };
    }

    const { parse } = reading;
    switch (parse.kind) {
      case 'not_payment':
        return {
          kind: 'ignored',
          payment: { ...described, parseKind: 'not_payment', authResult: 'skipped', status: 'ignored' },
        };
      case 'unparsed': {
        const trusted = trustedSenderEntry(fromAddress, config.mail.trustedSenders) !== null;
        if (!trusted) {
          return {
            kind: 'ignored',
            payment: { ...described, parseKind: 'unparsed', authResult: 'skipped', status: 'ignored' },
          };
        }
        const snippet = (mail.text || mail.htmlText).slice(0, 300);
        return {
          kind: 'failure',
          payment: { ...described, parseKind: 'unparsed', detail: { reason: parse.reason } },
          reason: 'unparsed',
          snippet,
        };
      }
      case 'payment':
        return { kind: 'unchecked', described, payment: parse, raw, identity: identityOf(mail) };
      default:
        return assertNever(parse);
    }
  }
}

function identityOf(mail: DecodedMail): MailIdentity {
  return { from: mail.from.map((f) => f.address), to: mail.to, repeatedHeaders: mail.repeatedHeaders };
}
