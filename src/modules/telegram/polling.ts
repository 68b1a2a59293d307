// Long polling of the Bot API that we drive ourselves, so health checks see its state and shutdown can stop it.
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { nextDelay } from '../../shared/backoff.ts';
import type { Logger } from '../../shared/ports.ts';

const POLL_TIMEOUT_SECONDS = 25;
const RETRY = { baseMs: 500, maxMs: 30_000 };

export type PollingState = 'starting' | 'polling' | 'failing' | 'stopped';

export function startPolling({ bot, logger }: { bot: Telegraf; logger: Logger }) {
  const abort = new AbortController();
  let state: PollingState = 'starting';
  let offset = 0;

  async function loop() {
    let failures = 0;
    while (!abort.signal.aborted) {
      try {
        if (!bot.botInfo) {
          bot.botInfo = await bot.telegram.getMe();
          state = 'polling';
        }
        const updates = (await bot.telegram.callApi(
          'getUpdates',
          // After a failure, a short poll first: health shows the API is back at once, not after a long poll.
          {
            timeout: failures > 0 ? 0 : POLL_TIMEOUT_SECONDS,
            offset,
            allowed_updates: ['message', 'callback_query'],
          },
          // telegraf types its signal with the abort-controller polyfill; node-fetch takes the native one.
          { signal: abort.signal as never },
        )) as Update[];
        state = 'polling';
        failures = 0;
        // A batch is handled concurrently (as telegraf's own polling does), then confirmed by the next offset.
        await Promise.all(
          updates.map((update) =>
            bot
              .handleUpdate(update)
              .catch((error) => logger.error({ err: error, updateId: update.update_id }, 'update failed')),
          ),
        );
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
      } catch (error) {
        if (abort.signal.aborted) break;
        failures++;
        state = 'failing';
        const delay = nextDelay(failures, RETRY, Math.random());
        logger.warn({ err: error, delayMs: delay }, 'telegram polling failed');
        await sleep(delay, abort.signal);
      }
    }
    state = 'stopped';
  }

  const done = loop();
  return {
    state: () => state,
    /** Stops taking updates; resolves once the update being handled is finished. */
    async stop() {
      abort.abort();
      await done;
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal.addEventListener('abort', wake, { once: true });
  });
}

export type Polling = ReturnType<typeof startPolling>;
