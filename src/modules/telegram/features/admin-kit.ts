// What every admin handler needs: who the admin is (and the language they read), and how to answer them.
import type { Context } from 'telegraf';
import type { AdjustBalance } from '../../customers/adjust-balance.ts';
import { adminLanguage, adminTextsFor } from '../../notify/admin-language.ts';
import type { AdminTexts } from '../../notify/admin-texts.ts';
import type { Language } from '../../notify/customer-texts.ts';
import type { FindOrder } from '../../orders/find-order.ts';
import type { RefundOrder } from '../../orders/refund-order.ts';
import type { QueueMessage } from '../../outbox/queue-message.ts';
import type { GetStats } from '../../reports/get-stats.ts';
import type { Admin } from '../../review/admin-actor.ts';
import type { ListPending } from '../../review/list-pending.ts';
import type { ReviewPayment } from '../../review/review-payment.ts';
import type { Renotify } from '../../web-outbox/renotify.ts';
import type { StatementUseCases } from './admin-statements.ts';

export interface AdminUseCases {
  reviewPayment: ReviewPayment;
  refundOrder: RefundOrder;
  adjustBalance: AdjustBalance;
  listPending: ListPending;
  getStats: GetStats;
  findOrder: FindOrder;
  healthText: (language: Language) => Promise<string>;
  queueMessage: QueueMessage;
  /** Statements sent as documents, and /export. */
  statements: StatementUseCases;
  renotify: Renotify;
  /** The language the user chose with /lang, or null. */
  chosenLanguage: (userId: number) => Promise<Language | null>;
}

export function adminKit(useCases: AdminUseCases, defaultLanguage: Language) {
  return {
    useCases,
    /** The admin behind an update (the caller has checked the sender is one). */
    async adminOf(ctx: Context): Promise<Admin> {
      const from = ctx.from;
      if (!from) throw new Error('update without a sender');
      return {
        id: from.id,
        name: from.username ? `@${from.username}` : from.first_name || String(from.id),
        language: adminLanguage(await useCases.chosenLanguage(from.id), defaultLanguage),
      };
    },
    textsOf: (admin: Admin): AdminTexts => adminTextsFor(admin.language),
    /** Queues the admin's answer, written in their language. */
    say: (admin: Admin, text: (texts: AdminTexts) => string) =>
      useCases.queueMessage(admin.id, text(adminTextsFor(admin.language))),
  };
}

export type AdminKit = ReturnType<typeof adminKit>;

export const isId = (text: string) => /^\d{1,15}$/.test(text);
