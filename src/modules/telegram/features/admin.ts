// The admins' side of the bot, one Composer: admin commands and review card presses, for admins only
// (the bot-base template's `filter(isAdmin)`). Anyone else passes through to the customer handlers, which
// know none of these commands; a non-admin's press on a card is answered and changes nothing.
import { Composer, type Context } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Logger } from '../../../shared/ports.ts';
import { adminTextsFor } from '../../notify/admin-language.ts';
import type { Language } from '../../notify/customer-texts.ts';
import type { Admin } from '../../review/admin-actor.ts';
import { accountCommands } from './admin-account-commands.ts';
import { CARD_PRESS, cardPress } from './admin-cards.ts';
import { type AdminUseCases, adminKit } from './admin-kit.ts';
import { merchantCommands } from './admin-merchant-commands.ts';
import { reviewCommands } from './admin-review-commands.ts';
import { refuseStatement, statementHandlers } from './admin-statements.ts';

export type AdminCommand = (
  name: string,
  handler: (ctx: Context, admin: Admin, args: string[]) => Promise<void>,
) => void;

export function adminFeature(deps: {
  adminIds: readonly number[];
  defaultLanguage: Language;
  useCases: AdminUseCases;
  logger: Logger;
}) {
  const { logger } = deps;
  const kit = adminKit(deps.useCases, deps.defaultLanguage);
  const admins = new Composer<Context>();
  const command: AdminCommand = (name, handler) =>
    admins.command(name, async (ctx) => {
      const admin = await kit.adminOf(ctx);
      logger.info({ adminId: admin.id, command: name }, 'admin command');
      await handler(ctx, admin, ctx.payload.trim().split(/\s+/).filter(Boolean));
    });

  // An admin's /help lists the admin commands, then the customer help follows (admins may recharge too).
  admins.command(['start', 'help'], async (ctx, next) => {
    await kit.say(await kit.adminOf(ctx), (t) => t.help);
    return next();
  });
  reviewCommands(command, kit);
  accountCommands(command, kit);
  statementHandlers(admins, command, { kit, statements: deps.useCases.statements, logger });
  merchantCommands(command, kit);
  admins.action(CARD_PRESS, cardPress(kit, logger));

  const isAdmin = (ctx: Context) => ctx.from !== undefined && deps.adminIds.includes(ctx.from.id);
  const composer = new Composer<Context>();
  composer.use(Composer.optional(isAdmin, admins));
  composer.on(message('document'), refuseStatement(deps.defaultLanguage, logger));
  // Card buttons pressed by anyone else: answered here, never reaching the customer handlers.
  composer.action(CARD_PRESS, async (ctx) => {
    logger.warn({ userId: ctx.from?.id }, 'non-admin pressed an admin button');
    await ctx.answerCbQuery(adminTextsFor(deps.defaultLanguage).notAdmin, { show_alert: true });
  });
  return composer;
}
