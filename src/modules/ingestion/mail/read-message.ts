// Reading one fetched message into what it is — a payment (its signature not yet checked), mail to ignore, or
// a failure to record — without touching the database.
import type { Clock, Logger } from '../../../shared/ports.ts';
import { assertNever } from '../../../shared/result.ts';
import type { PaymentNotification } from '../../payments/notification/parse-notification.ts';
import type { MailIdentity } from './authenticate-mail.ts';
import type { DecodedMail } from './decode-mail.ts';
import type { DescribedMessage, Examined, IncomingMessage } from './examine-message.ts';
import { cleanEnvelope, mailMessageKey, mailMessageRecord } from './message-key.ts';
import type { MailReading, ReadMail } from './read-mail.ts';
import { trustedSenderEntry } from './trusted-senders.ts';

/** A payment read from its message, its signature not yet checked. */
export type Read =
  | Exclude<Examined, { kind: 'payment' }>
  | {
      kind: 'unchecked';
      described: DescribedMessage;
      payment: PaymentNotification;
      raw: Buffer;
      identity: MailIdentity;
    };

export interface ReadMessageDeps {
  mail: { maxBytes: number; trustedSenders: readonly string[] };
  clock: Clock;
  /** Decodes and parses a message within a deadline (the mail-reader thread). */
  readMail: ReadMail;
  logger: Logger;
}

export async function readMessage(deps: ReadMessageDeps, message: IncomingMessage): Promise<Read> {
  const base = { processedAt: deps.clock.now() };
  const recorded = (key: string, read: { sender: string; subject: string } | null = null) => ({
    ...base,
    message: mailMessageRecord(message, key, read),
  });
  const raw = message.raw;
  if (raw === null || raw.length > deps.mail.maxBytes) {
    const envelope = cleanEnvelope(message.envelope);
    const tooLarge = {
      ...recorded(mailMessageKey(message), { sender: envelope.from, subject: envelope.subject }),
      parseKind: 'too_large',
    };
    return { kind: 'failure', payment: tooLarge, reason: `too large (${message.size} bytes)` };
  }
  const reading = await deps.readMail(raw);
  if (reading.kind === 'timeout' || reading.kind === 'undecodable') {
    return unreadable(deps, message, recorded(mailMessageKey(message)), reading);
  }
  const { mail } = reading;
  const described = recorded(mailMessageKey(message, mail.messageId), {
    sender: mail.from.map((f) => f.address).join(', '),
    subject: mail.subject.slice(0, 500),
  });
  if (reading.kind === 'parser_error') {
    deps.logger.error({ error: reading.error, uid: message.uid }, 'parser threw');
    return { kind: 'failure', payment: { ...described, parseKind: 'parser_error' }, reason: 'parser error' };
  }
  return fromParse(deps, described, reading, raw);
}

/** A message the reader could not decode, or not within its deadline: recorded as failed. */
function unreadable(
  deps: ReadMessageDeps,
  message: IncomingMessage,
  described: DescribedMessage,
  reading: Extract<MailReading, { kind: 'timeout' | 'undecodable' }>,
): Read {
  if (reading.kind === 'timeout') {
    const { timeoutMs } = reading;
    deps.logger.error({ uid: message.uid, timeoutMs }, 'examining a message took too long');
    const reason = `examination took longer than ${timeoutMs / 1000} s`;
    return { kind: 'failure', payment: { ...described, parseKind: 'examine_timeout' }, reason };
  }
  deps.logger.warn({ error: reading.error, uid: message.uid }, 'message could not be decoded');
  return { kind: 'failure', payment: { ...described, parseKind: 'undecodable' }, reason: 'undecodable' };
}

/** What the notification rules made of a decoded message. */
function fromParse(
  deps: ReadMessageDeps,
  described: DescribedMessage,
  reading: Extract<MailReading, { kind: 'read' }>,
  raw: Buffer,
): Read {
  const { mail, parse } = reading;
  const ignored = (parseKind: 'not_payment' | 'unparsed'): Read => ({
    kind: 'ignored',
    described,
    parseKind,
  });
  switch (parse.kind) {
    case 'not_payment':
      return ignored('not_payment');
    case 'unparsed': {
      const fromAddress = mail.from[0]?.address ?? '';
      // Unparsed mail from a stranger is not ours to worry about; from a trusted sender it is a rule to fix.
      if (trustedSenderEntry(fromAddress, deps.mail.trustedSenders) === null) return ignored('unparsed');
      return {
        kind: 'failure',
        payment: { ...described, parseKind: 'unparsed', detail: { reason: parse.reason } },
        reason: 'unparsed',
        snippet: (mail.text || mail.htmlText).slice(0, 300),
      };
    }
    case 'payment':
      return { kind: 'unchecked', described, payment: parse, raw, identity: identityOf(mail) };
    default:
      return assertNever(parse);
  }
}

function identityOf(mail: DecodedMail): MailIdentity {
  return { from: mail.from.map((f) => f.address), to: mail.to, repeatedHeaders: mail.repeatedHeaders };
}
