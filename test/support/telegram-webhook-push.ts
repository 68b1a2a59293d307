// The Bot API double's webhook side: after setWebhook, each update is POSTed to the bot's URL as Telegram
// does — JSON body, the `X-Telegram-Bot-Api-Secret-Token` header when a secret_token was set — and tried
// again until the bot answers 2xx (Telegram retries a failed delivery; https://core.telegram.org/bots/api
// #setwebhook). The double has no TLS: telegraf always registers an https:// URL, so it is pushed to over
// plain http at the same host and port.

const RETRY_MS = 200;

export interface WebhookPush {
  /** setWebhook: updates go to `url` from now on. */
  set(url: string, secretToken: string | undefined): void;
  /** deleteWebhook. */
  clear(): void;
  active(): boolean;
  url(): string;
  /** Delivers the update (in the background, retrying) when a webhook is set; false when none is. */
  push(update: { update_id: number }): boolean;
  /** Delivers an update pushed before once more, as Telegram does when it doubts the first delivery. */
  pushAgain(updateId: number): void;
  /** Attempts per update id, and each attempt's HTTP status (0: no answer). */
  attempts: Map<number, number[]>;
  close(): void;
}

export function createWebhookPush(): WebhookPush {
  let target: { url: string; secretToken: string | undefined } | null = null;
  let closed = false;
  const attempts = new Map<number, number[]>();
  const pushed = new Map<number, { update_id: number }>();

  async function deliver(update: { update_id: number }): Promise<void> {
    while (!closed && target) {
      const { url, secretToken } = target;
      let status = 0;
      try {
        const response = await fetch(url.replace(/^https:/, 'http:'), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(secretToken ? { 'x-telegram-bot-api-secret-token': secretToken } : {}),
          },
          body: JSON.stringify(update),
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      attempts.set(update.update_id, [...(attempts.get(update.update_id) ?? []), status]);
      if (status >= 200 && status < 300) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  return {
    set(url, secretToken) {
      target = { url, secretToken };
    },
    clear() {
      target = null;
    },
    active: () => target !== null,
    url: () => target?.url ?? '',
    push(update) {
      if (!target) return false;
      pushed.set(update.update_id, update);
      void deliver(update);
      return true;
    },
    pushAgain(updateId) {
      const update = pushed.get(updateId);
      if (!update) throw new Error(`pushAgain: update ${updateId} was never pushed`);
      void deliver(update);
    },
    attempts,
    close() {
      closed = true;
    },
  };
}
