// Statements sent to the bot as documents, and /export FROM TO: an admin's document is read and reconciled,
// anyone else's is refused; /export answers with CSV documents.
import type { Composer, Context } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Logger } from '../../../shared/ports.ts';
import { statementTextsFor } from '../../notify/admin-statement-texts.ts';
import type { Language } from '../../notify/customer-texts.ts';
import type { ExportPeriod } from '../../statements/export-period.ts';
import { MAX_STATEMENT_BYTES } from '../../statements/statement.models.ts';
import type { ReconcileStatementFile } from '../../statements/statement-use-cases.ts';
import { downloadFile } from '../download-file.ts';
import type { AdminCommand } from './admin.ts';
import type { AdminKit } from './admin-kit.ts';

export interface StatementUseCases {
  reconcileStatementFile: ReconcileStatementFile;
  exportPeriod: ExportPeriod;
  timeZone: string;
}

export function statementHandlers(
  admins: Composer<Context>,
  command: AdminCommand,
  { kit, statements, logger }: { kit: AdminKit; statements: StatementUseCases; logger: Logger },
) {
  admins.on(message('document'), async (ctx) => {
    const admin = await kit.adminOf(ctx);
    const texts = statementTextsFor(admin.language);
    const { file_id, file_size } = ctx.message.document;
    logger.info({ adminId: admin.id, fileSize: file_size }, 'statement received');
    // Checked before downloading: the Bot API hands bots no file over 20 MB.
    if ((file_size ?? 0) > MAX_STATEMENT_BYTES)
      return kit.say(admin, () => texts.problem('statement.too_large'));
    const bytes = await downloadFile(ctx.telegram, file_id, MAX_STATEMENT_BYTES).catch((error: unknown) => {
      logger.warn({ err: error }, 'statement download failed');
      return null;
    });
    if (bytes === null) return kit.say(admin, () => texts.download_failed);
    if (bytes === 'too_large') return kit.say(admin, () => texts.problem('statement.too_large'));
    const read = await statements.reconcileStatementFile(bytes);
    await kit.say(admin, () =>
      read.ok ? texts.report(read.outcome, statements.timeZone) : texts.problem(read.code),
    );
  });

  command('export', async (ctx, admin, args) => {
    const texts = statementTextsFor(admin.language);
    const [from, to, ...rest] = args;
    if (!from || !to || rest.length > 0) return kit.say(admin, () => texts.exportUsage);
    const exported = await statements.exportPeriod(from, to);
    if (!exported.ok) {
      if (exported.code === 'export.bad_dates') return kit.say(admin, () => texts.exportUsage);
      if (exported.code === 'export.too_long')
        return kit.say(admin, () => texts.exportTooLong(exported.limit));
      return kit.say(admin, () => texts.exportTooLarge(exported.limit));
    }
    for (const file of exported.files) {
      await ctx.replyWithDocument(
        { source: file.bytes, filename: file.filename },
        { caption: texts.exportCaption(file.kind, from, to, file.rows) },
      );
    }
  });
}

/** A document from anyone but an admin: refused, never downloaded. */
export function refuseStatement(defaultLanguage: Language, logger: Logger) {
  return async (ctx: Context) => {
    logger.warn({ userId: ctx.from?.id }, 'non-admin sent a document');
    await ctx.reply(statementTextsFor(defaultLanguage).notAdminStatement);
  };
}
