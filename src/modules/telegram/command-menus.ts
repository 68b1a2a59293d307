// The command menus Telegram shows beside the message field, registered with setMyCommands: the customers'
// commands for everyone (Chinese by default, English for English-language Telegram apps), and the admins'
// commands in each admin's own chat (BotCommandScopeChat) in the admin's language. setMyCommands replaces a
// scope's list, so registering again at every start is idempotent.
import type { Telegram } from 'telegraf';
import { nextDelay } from '../../shared/backoff.ts';
import type { Logger } from '../../shared/ports.ts';
import { adminLanguage, adminTextsFor } from '../notify/admin-language.ts';
import { type Language, textsFor } from '../notify/customer-texts.ts';
import { menuOf } from './command-list.ts';
import { sleep } from './polling.ts';

const RETRY = { baseMs: 1_000, maxMs: 60_000 };

export function startCommandMenus(deps: {
  telegram: Telegram;
  settings: { adminIds: readonly number[]; adminLanguage: Language; minFen: number; maxFen: number };
  /** The languages admins chose with /lang. */
  chosenOf: (userIds: readonly number[]) => Promise<Map<number, string | null>>;
  logger: Logger;
}) {
  const { adminIds, adminLanguage: defaultAdminLanguage, minFen, maxFen } = deps.settings;
  const customerMenu = (language: Language) => menuOf(textsFor(language).commands(minFen, maxFen));
  const adminMenu = (language: Language) => menuOf(adminTextsFor(language).commands);
  const abort = new AbortController();

  async function setAdminMenu(adminId: number, language: Language) {
    await deps.telegram.setMyCommands(adminMenu(language), { scope: { type: 'chat', chat_id: adminId } });
  }

  async function registerAll() {
    // The default scope without a language code is for every app language without its own list.
    await deps.telegram.setMyCommands(customerMenu('zh'), { scope: { type: 'default' } });
    await deps.telegram.setMyCommands(customerMenu('en'), {
      scope: { type: 'default' },
      language_code: 'en',
    });
    const chosen = await deps.chosenOf(adminIds);
    for (const adminId of adminIds) {
      await setAdminMenu(adminId, adminLanguage(chosen.get(adminId), defaultAdminLanguage));
    }
  }

  // In the background: the service runs while Telegram is unreachable, and the menus follow when it is back.
  const done = (async () => {
    for (let attempt = 1; !abort.signal.aborted; attempt++) {
      try {
        await registerAll();
        deps.logger.info({ admins: adminIds.length }, 'command menus registered');
        return;
      } catch (error) {
        const delayMs = nextDelay(attempt, RETRY, Math.random());
        deps.logger.warn({ err: error, delayMs }, 'registering the command menus failed; will retry');
        await sleep(delayMs, abort.signal);
      }
    }
  })();

  return {
    /** After an admin's /lang: their menu in the new language (a customer's menu follows their Telegram app). */
    async languageChosen(userId: number, language: Language): Promise<void> {
      if (!adminIds.includes(userId)) return;
      await setAdminMenu(userId, language).catch((error: unknown) =>
        deps.logger.warn({ err: error, adminId: userId }, "updating an admin's command menu failed"),
      );
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}

export type CommandMenus = ReturnType<typeof startCommandMenus>;
