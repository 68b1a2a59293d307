// The bot names customers by Telegram user id; use cases by customer id. This resolves one to the other.
import type { TelegramCustomersRepository } from './telegram-customers.repository.ts';

export function createTelegramUsers({ customers }: { customers: TelegramCustomersRepository }) {
  return {
    /**
     * `useCase` called with the user's customer id; a user never seen (no customer yet) gets `unknown`
     * without the use case running — reading creates no customer.
     */
    byUser<A extends unknown[], R>(useCase: (customerId: number, ...args: A) => Promise<R>, unknown: R) {
      return async (userId: number, ...args: A): Promise<R> => {
        const customerId = await customers.idOf(userId);
        return customerId === null ? unknown : useCase(customerId, ...args);
      };
    },
  };
}
