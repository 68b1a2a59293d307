// The bot's send budget row, read under a row lock so instances change it one at a time.
import { eq } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { sendBudget } from '../../shared/db/schema.ts';
import type { SendBudget } from './send-budget.ts';

const ROW = 1;

export function createSendBudgetRepository({ db }: { db: Db }) {
  return {
    /** The budget, locked until the transaction ends. */
    async locked(): Promise<SendBudget> {
      const [row] = await db.select().from(sendBudget).where(eq(sendBudget.id, ROW)).for('update');
      if (!row) throw new Error('the send_budget row is missing (its migration inserts it)');
      return { tokens: row.tokens, at: row.atMs };
    },
    async save(budget: SendBudget): Promise<void> {
      await db
        .update(sendBudget)
        .set({ tokens: budget.tokens, atMs: Math.round(budget.at) })
        .where(eq(sendBudget.id, ROW));
    },
  };
}
