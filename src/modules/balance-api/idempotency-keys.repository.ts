// The balance API's answers stored under Idempotency-Keys: a repeat of a request gets the first answer back.
import { eq } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { apiIdempotencyKeys } from '../../shared/db/schema.ts';

export interface StoredAnswer {
  customerId: number;
  requestHash: string;
  status: number;
  body: unknown;
}

export function createIdempotencyKeysRepository({ db }: { db: Db }) {
  return {
    async storedAnswer(key: string): Promise<StoredAnswer | null> {
      const [row] = await db.select().from(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.key, key));
      return row
        ? {
            customerId: row.customerId,
            requestHash: row.requestHash,
            status: row.responseStatus,
            body: row.responseBody,
          }
        : null;
    },

    /** Stores the answer under the key; a key taken meanwhile (another customer's request) fails with 23505. */
    async storeAnswer(key: string, answer: StoredAnswer): Promise<void> {
      await db.insert(apiIdempotencyKeys).values({
        key,
        customerId: answer.customerId,
        requestHash: answer.requestHash,
        responseStatus: answer.status,
        responseBody: answer.body,
      });
    },
  };
}
