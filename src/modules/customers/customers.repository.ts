// Customers whatever their channel: finding them, creating one, locking the row and moving balances.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { customers } from '../../shared/db/schema.ts';
import type { CustomerChannel } from './customer.models.ts';

export type Customer = typeof customers.$inferSelect;

export function createCustomersRepository({ db }: { db: Db }) {
  return {
    /** Locks the customer's row until the transaction ends: their order changes in other transactions wait. */
    async lock(id: number): Promise<void> {
      await db.select({ id: customers.id }).from(customers).where(eq(customers.id, id)).for('update');
    },

    async find(id: number): Promise<Customer | null> {
      const [row] = await db.select().from(customers).where(eq(customers.id, id));
      return row ?? null;
    },

    async findByIdentity(channel: CustomerChannel, externalId: string): Promise<Customer | null> {
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.channel, channel), eq(customers.externalId, externalId)));
      return row ?? null;
    },

    /** A customer of a channel without chats (the merchant API); returns the existing one for a known id. */
    async findOrCreate(channel: Exclude<CustomerChannel, 'telegram'>, externalId: string): Promise<Customer> {
      const found = (await this.findOrCreateAll(channel, [externalId])).get(externalId);
      if (!found) throw new Error(`customer ${channel}:${externalId} vanished`);
      return found;
    },

    /** `findOrCreate` for several external ids of one channel, in two statements; keyed by external id. */
    findOrCreateAll: (channel: Exclude<CustomerChannel, 'telegram'>, externalIds: readonly string[]) =>
      findOrCreateAll(db, channel, externalIds),

    /** Adds to the balance; returns the customer with the new one. The row lock serialises concurrent credits. */
    async addToBalance(id: number, deltaFen: number) {
      const [row] = await this.addToBalances(new Map([[id, deltaFen]]));
      if (!row) throw new Error(`customer ${id} not found`);
      return row;
    },

    /** `addToBalance` for several customers (id → fen) in one statement; returns them with their new balances. */
    async addToBalances(deltas: ReadonlyMap<number, number>): Promise<Customer[]> {
      if (deltas.size === 0) return [];
      const ids = [...deltas.keys()];
      const deltaOf = sql.join(
        [...deltas].map(([id, fen]) => sql`when ${id}::bigint then ${fen}::bigint`),
        sql` `,
      );
      const rows = await db
        .update(customers)
        .set({ balanceFen: sql`${customers.balanceFen} + case ${customers.id} ${deltaOf} end` })
        .where(inArray(customers.id, ids))
        .returning();
      if (rows.length !== ids.length) throw new Error(`customers not found among ${ids.join(', ')}`);
      return rows;
    },
  };
}

async function findOrCreateAll(
  db: Db,
  channel: Exclude<CustomerChannel, 'telegram'>,
  externalIds: readonly string[],
): Promise<Map<string, Customer>> {
  const ids = [...new Set(externalIds)];
  const select = async () => {
    if (ids.length === 0) return new Map<string, Customer>();
    const rows = await db
      .select()
      .from(customers)
      .where(and(eq(customers.channel, channel), inArray(customers.externalId, ids)));
    return new Map(rows.map((row) => [row.externalId, row]));
  };
  // Mostly they exist: one read; an insert (which takes locks and spends identity values) only for new ones.
  const found = await select();
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length === 0) return found;
  await db
    .insert(customers)
    .values(missing.map((externalId) => ({ channel, externalId })))
    .onConflictDoNothing();
  return select();
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>;

/**
 * The number admins know a customer by: a Telegram user id (what /adjust and /assign take); customers of
 * other channels by their customer id.
 */
export function adminNumberOf(customer: Pick<Customer, 'id' | 'channel' | 'externalId'>): number {
  return customer.channel === 'telegram' ? Number(customer.externalId) : customer.id;
}
