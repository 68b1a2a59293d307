// Statement mails: a mail from the watched mailbox that is no payment notification but carries a statement
// file. Taken only from a TRUSTED_SENDERS address and only when the mail authenticates as a notification
// must (one From, no doubled headers, an aligned DKIM signature); each attachment is reconciled and the
// report goes to every admin. Any other mail is left alone.
import { simpleParser } from 'mailparser';
import type { Transaction } from '../../shared/db/store.ts';
import type { Logger } from '../../shared/ports.ts';
import type { AuthenticateMail } from '../ingestion/mail/authenticate-mail.ts';
import { decodeMail, PARSER_OPTIONS } from '../ingestion/mail/decode-mail.ts';
import { trustedSenderEntry } from '../ingestion/mail/trusted-senders.ts';
import { type AdminAudience, adminLanguagesByChat } from '../notify/admin-audience.ts';
import { type StatementTexts, statementTextsFor } from '../notify/admin-statement-texts.ts';
import { MAX_STATEMENT_BYTES } from './statement.models.ts';
import type { ReconcileStatementFile } from './statement-use-cases.ts';

/** What may be a statement: the apps' CSV and XLSX, and the zips they mail (answered as such). */
const STATEMENT_FILE = /\.(csv|xlsx|zip)$/i;
/** A mail carrying more is no statement mail. */
const MAX_ATTACHMENTS = 5;

export function createReceiveStatementMail(deps: {
  trustedSenders: readonly string[];
  reconcileStatementFile: ReconcileStatementFile;
  transaction: Transaction;
  admins: AdminAudience;
  timeZone: string;
  onQueued: () => void;
  logger: Logger;
}) {
  /** `sender`: the From the mail route recorded; checked before the mail is parsed again. */
  return async function receiveStatementMail(
    raw: Buffer,
    sender: string,
    authenticateMail: AuthenticateMail,
  ) {
    if (!trustedSenderEntry(sender, deps.trustedSenders)) return;
    const parsed = await simpleParser(raw, PARSER_OPTIONS);
    const files = parsed.attachments.filter(
      (a) => STATEMENT_FILE.test(a.filename ?? '') && a.size <= MAX_STATEMENT_BYTES,
    );
    if (files.length === 0 || files.length > MAX_ATTACHMENTS) return;
    const decoded = await decodeMail(raw);
    const auth = await authenticateMail(raw, {
      from: decoded.from.map((f) => f.address),
      to: decoded.to,
      repeatedHeaders: decoded.repeatedHeaders,
    });
    if (auth.verdict !== 'pass') {
      deps.logger.warn({ sender, detail: auth.detail }, 'statement mail not authenticated; ignored');
      return;
    }
    for (const file of files) {
      const read = await deps.reconcileStatementFile(file.content);
      deps.logger.info({ sender, file: file.filename, ok: read.ok }, 'statement mail reconciled');
      await tellAdmins(deps, (texts) =>
        read.ok ? texts.report(read.outcome, deps.timeZone) : texts.problem(read.code),
      );
    }
  };
}

export type ReceiveStatementMail = ReturnType<typeof createReceiveStatementMail>;

async function tellAdmins(
  deps: { transaction: Transaction; admins: AdminAudience; onQueued: () => void },
  render: (texts: StatementTexts) => string,
) {
  await deps.transaction(async (store) => {
    const chats = await adminLanguagesByChat(store, deps.admins);
    await store.outbox.enqueue(
      chats.map(({ chatId, language }) => ({
        chatId,
        message: { method: 'sendMessage', text: `📧 ${render(statementTextsFor(language))}` },
      })),
    );
  });
  deps.onQueued();
}
