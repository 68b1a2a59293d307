// Starts the bot: its features (admins first), the command menus and the long polling (or the webhook);
// stops them in order.
import { Telegram } from 'telegraf';
import type { Logger } from '../../shared/ports.ts';
import type { LanguageChoice } from '../customers/choose-language.ts';
import type { Language } from '../notify/customer-texts.ts';
import { createBot } from './bot.ts';
import { startCommandMenus } from './command-menus.ts';
import { adminFeature } from './features/admin.ts';
import type { AdminUseCases } from './features/admin-kit.ts';
import { type CustomerUseCases, customerFeature, customerTextsOf } from './features/customer.ts';
import type { CustomerSettings } from './features/order-answers.ts';
import { startPolling } from './polling.ts';
import { createTelegramWebhook } from './webhook.ts';

export function startTelegram(deps: {
  bot: { token: string; apiRoot: string; adminIds: readonly number[]; adminLanguage: Language };
  settings: CustomerSettings;
  customer: Omit<CustomerUseCases, 'chosenLanguage' | 'chooseLanguage'>;
  admin: Omit<AdminUseCases, 'chosenLanguage'>;
  languages: LanguageChoice;
  /** Set: updates come by webhook instead of long polling. */
  webhook: Omit<Parameters<typeof createTelegramWebhook>[0], 'bot' | 'logger'> | null;
  logger: Logger;
}) {
  const { bot: account, settings, languages, logger } = deps;
  const menus = startCommandMenus({
    telegram: new Telegram(account.token, { apiRoot: account.apiRoot }),
    settings: { ...account, minFen: settings.minFen, maxFen: settings.maxFen },
    chosenOf: languages.chosenOf,
    logger,
  });
  const customer: CustomerUseCases = {
    ...deps.customer,
    chosenLanguage: languages.chosen,
    async chooseLanguage(profile, language) {
      await languages.choose(profile, language);
      await menus.languageChosen(profile.id, language);
    },
  };
  const admin = { ...deps.admin, chosenLanguage: languages.chosen };
  const bot = createBot({
    token: account.token,
    apiRoot: account.apiRoot,
    features: [
      adminFeature({
        adminIds: account.adminIds,
        defaultLanguage: account.adminLanguage,
        useCases: admin,
        logger,
      }),
      customerFeature({ settings, useCases: customer }),
    ],
    textsOf: customerTextsOf(customer),
    logger,
  });
  const webhook = deps.webhook ? createTelegramWebhook({ ...deps.webhook, bot, logger }) : null;
  const polling = webhook ? null : startPolling({ bot, logger });
  return {
    pollingState: () => polling?.state() ?? webhook?.state() ?? 'stopped',
    webhook,
    /** Stops taking updates, then the menus' registration. */
    async stop() {
      webhook?.stop();
      await polling?.stop();
      await menus.stop();
    },
  };
}
