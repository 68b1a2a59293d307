// Use case: an admin adjusts a customer's balance by hand — a ledger entry with its reason, the customer told.
import type { Transaction } from '../../shared/db/store.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { type Admin, actorOf } from '../review/admin-actor.ts';

export type AdjustOutcome =
  | { kind: 'adjusted'; balanceFen: number }
  | { kind: 'customer_not_found' }
  | { kind: 'insufficient_balance'; balanceFen: number };

export function createAdjustBalance(deps: { transaction: Transaction; onQueued: () => void }) {
  return async function adjustBalance(
    admin: Admin,
    args: { userId: number; amountFen: number; reason: string },
  ): Promise<AdjustOutcome> {
    const outcome = await deps.transaction(async (store): Promise<AdjustOutcome> => {
      // Admins name the customer by their Telegram user id.
      const customer = await store.customers.findByIdentity('telegram', String(args.userId));
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
      await notifyCustomer(store, customer, (texts) =>
        texts.adjusted(args.amountFen, args.reason, balanceFen),
      );
      await store.outbox.enqueue([
        {
          chatId: admin.id,
          message: {
            method: 'sendMessage',
            text: adminTextsFor(admin.language).adjustedAdmin(args.userId, args.amountFen, balanceFen),
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
