// Customers as tests name them: by Telegram user id, which is not the customer's (internal) id.
import { sql } from 'drizzle-orm';

/** The customer id of a Telegram user, as a subquery to put where a customer id goes. */
export const customerOfUser = (userId: number) =>
  sql`(select id from customers where channel = 'telegram' and external_id = ${String(userId)})`;
