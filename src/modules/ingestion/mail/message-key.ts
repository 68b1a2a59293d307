// The identity of a mail message, by which it is recorded once whatever path records it (examined, too
// large, given up): one derivation, so a message keeps its key whichever way it goes.
import { createHash } from 'node:crypto';
import type { MailMetadata } from '../../../shared/db/schema.ts';
import type { NewPayment } from '../../payments/payments.repository.ts';
import { cleanEnvelope } from '../record-failed-message.ts';
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

/** The message as recorded: from the mail source, under its key, with its place in the mailbox. */
export function mailMessageRecord(
  message: Pick<IncomingMessage, 'mailbox' | 'uidValidity' | 'uid'>,
  sourceKey: string,
): NewPayment['message'] {
  const metadata: MailMetadata = {
    mailbox: message.mailbox,
    uidValidity: String(message.uidValidity),
    uid: message.uid,
  };
  return { source: 'mail', sourceKey, metadata };
}
