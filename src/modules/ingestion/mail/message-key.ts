// The identity of a mail message, by which it is recorded once whatever path records it (examined, too
// large, given up): one derivation, so a message keeps its key whichever way it goes; and how it is stored.
import { createHash } from 'node:crypto';
import type { MailMetadata } from '../../../shared/db/schema.ts';
import { withoutNul } from '../../payments/notification/normalise-text.ts';
import type { NewPayment } from '../../payments/payments.repository.ts';
import type { IncomingMessage } from './examine-message.ts';

/**
 * Its Message-ID (as decoded from the headers when it was, else as the server's envelope gives it), else
 * a digest of its bytes, else — never fetched — its place in the mailbox.
 */
export function mailMessageKey(
  message: Pick<IncomingMessage, 'raw' | 'envelope' | 'uidValidity' | 'uid'>,
  decodedMessageId: string | null = null,
): string {
  const messageId = decodedMessageId ?? cleanEnvelope(message.envelope).messageId;
  if (messageId) return messageId;
  if (message.raw) return `sha256:${createHash('sha256').update(message.raw).digest('hex')}`;
  return `envelope:${message.uidValidity}:${message.uid}`;
}

/**
 * The message as recorded: from the mail source, under its key, with its sender and subject (as read: decoded,
 * else the envelope's), its arrival and its place in the mailbox.
 */
export function mailMessageRecord(
  message: Pick<IncomingMessage, 'mailbox' | 'uidValidity' | 'uid' | 'receivedAt'>,
  sourceKey: string,
  read: { sender: string; subject: string } | null = null,
): NewPayment['message'] {
  const metadata: MailMetadata = {
    mailbox: message.mailbox,
    uidValidity: String(message.uidValidity),
    uid: message.uid,
  };
  return { source: 'mail', sourceKey, metadata, receivedAt: message.receivedAt, ...read };
}

/** The envelope as the server reported it, fit to store: no NUL characters, a bounded subject. */
export function cleanEnvelope(envelope: IncomingMessage['envelope']): IncomingMessage['envelope'] {
  return {
    messageId: envelope.messageId === null ? null : withoutNul(envelope.messageId) || null,
    subject: withoutNul(envelope.subject).slice(0, 500),
    from: withoutNul(envelope.from),
  };
}
