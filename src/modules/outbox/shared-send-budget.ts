// Telegram's limit is the bot's, not a process's: the send budget lives in the database, so instances on one
// PostgreSQL share it (each change is a short transaction on its one row).
import type { Transaction } from '../../shared/db/store.ts';
import { type SendBudget, type SendRate, spend, takeForBulk } from './send-budget.ts';

export interface SharedSendBudget {
  /** Takes `count` bulk messages' worth: 0 when taken, else how long to wait before asking again. */
  take(count: number): Promise<number>;
  /** Spends `count` at once (answers a customer waits for), into debt if need be. */
  spend(count: number): Promise<void>;
}

export function createSharedSendBudget(deps: {
  transaction: Transaction;
  rate: SendRate;
  now?: () => number;
}): SharedSendBudget {
  const now = deps.now ?? Date.now;
  const change = <T>(step: (budget: SendBudget) => { budget: SendBudget; result: T }) =>
    deps.transaction(async (store) => {
      const { budget, result } = step(await store.sendBudget.locked());
      await store.sendBudget.save(budget);
      return result;
    });
  return {
    take: (count) =>
      change((budget) => {
        const taken = takeForBulk(budget, deps.rate, now(), count);
        return { budget: taken.budget, result: taken.granted > 0 ? 0 : taken.waitMs };
      }),
    spend: (count) =>
      change((budget) => ({ budget: spend(budget, deps.rate, now(), count), result: undefined })),
  };
}
