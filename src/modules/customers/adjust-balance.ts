// Use case: an admin adjusts a customer's balance by hand — a ledger entry with its reason, the customer told.
import type { Db } from '../../shared/db/database.ts';
import { inTransaction } from '../../shared/db/store.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import { customerLanguage, textsFor } from '../notify/customer-texts.ts';
import { type Admin, actorOf } from '../review/admin-actor.ts';

export type AdjustOutcome =
  | { kind: 'adjusted'; balanceFen: number }
  | { kind: 'customer_not_found' }
  | { kind: 'insufficient_balance'; balanceFen: number };

export function createAdjustBalance(deps: { db: Db; onQueued: () => void }) {
  return async function adjustBalance(
    admin: Admin,
    args: { customerId: number; amountFen: number; reason: string },
  ): Promise<AdjustOutcome> {
    const outcome = await inTransaction(deps.db, async (store): Promise<AdjustOutcome> => {
      const customer = await store.customers.find(args.customerId);
      if (!customer) return { kind: 'customer_not_found' };
      if (customer.balanceFen + args.amountFen < 0) {
        return { kind: 'insufficient_balance', balanceFen: customer.balanceFen };
      }
      await store.ledger.append({
        customerId: customer.id,
        amountFen: args.amountFen,
        kind: 'adjustment',
        note: args.reason,
        actor: actorOf(admin),
      });
      const { balanceFen } = await store.customers.addToBalance(customer.id, args.amountFen);
      const texts = textsFor(customerLanguage(customer));
      await store.outbox.enqueue([
        {
          chatId: customer.chatId,
          message: { method: 'sendMessage', text: texts.adjusted(args.amountFen, args.reason, balanceFen) },
        },
        {
          chatId: admin.id,
          message: {
            method: 'sendMessage',
            text: adminTextsFor(admin.language).adjustedAdmin(customer.id, args.amountFen, balanceFen),
          },
        },
      ]);
      await store.audit.record({
        actorId: admin.id,
        actorName: admin.name,
        action: 'adjust',
        customerId: customer.id,
        amountFen: args.amountFen,
        detail: { reason: args.reason },
      });
      return { kind: 'adjusted', balanceFen };
    });
    if (outcome.kind === 'adjusted') deps.onQueued();
    return outcome;
  };
}

export type AdjustBalance = ReturnType<typeof createAdjustBalance>;
