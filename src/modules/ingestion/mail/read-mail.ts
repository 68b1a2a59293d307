// Reading one message: decode it and run the notification rules over it. Runs in the mail-reader thread, so a
// message that takes too long can be cut off without holding the watcher.

import { type NotificationParse, parseNotification } from '../../payments/notification/parse-notification.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import { type DecodedMail, decodeMail } from './decode-mail.ts';

export type MailReading =
  | { kind: 'read'; mail: DecodedMail; parse: NotificationParse }
  | { kind: 'undecodable'; error: string }
  | { kind: 'parser_error'; mail: DecodedMail; error: string }
  /** Reading took longer than MAIL_EXAMINE_TIMEOUT_MS and was cut off. */
  | { kind: 'timeout'; timeoutMs: number };

export type ReadMail = (raw: Buffer) => Promise<MailReading>;

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export async function readMail(raw: Buffer, rules: readonly NotificationRule[]): Promise<MailReading> {
  let mail: DecodedMail;
  try {
    mail = await decodeMail(raw);
  } catch (error) {
    return { kind: 'undecodable', error: describe(error) };
  }
  try {
    const parse = parseNotification(
      {
        fromAddress: mail.from[0]?.address ?? '',
        subject: mail.subject,
        text: mail.text,
        htmlText: mail.htmlText,
      },
      rules,
    );
    return { kind: 'read', mail, parse };
  } catch (error) {
    return { kind: 'parser_error', mail, error: describe(error) };
  }
}
