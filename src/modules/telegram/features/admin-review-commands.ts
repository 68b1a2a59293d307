// /pending, /approve, /assign and /reject: the review queue, and the card's buttons typed.

import type { Admin } from '../../review/admin-actor.ts';
import type { ReviewDecision } from '../../review/review-payment.ts';
import type { AdminCommand } from './admin.ts';
import type { AdminKit } from './admin-kit.ts';
import { isId } from './admin-kit.ts';
import { explain } from './admin-replies.ts';

export function reviewCommands(command: AdminCommand, { useCases, say }: AdminKit) {
  command('pending', async (_ctx, admin, [after]) => {
    if (after !== undefined && !isId(after)) return say(admin, (t) => t.usage.pending);
    await useCases.listPending(admin, after === undefined ? 0 : Number(after));
  });

  /** The card's buttons typed: the same use case decides. */
  const decideByCommand = async (admin: Admin, decision: ReviewDecision) => {
    const outcome = await useCases.reviewPayment(admin, decision);
    if (outcome.kind !== 'decided') return say(admin, (t) => explain(t, outcome));
    const { paymentId } = decision;
    await say(admin, (t) =>
      outcome.decision === 'approve' ? t.assigned(paymentId, outcome.target ?? '') : t.rejected(paymentId),
    );
  };

  command('assign', async (_ctx, admin, [payment, target]) => {
    if (!payment || !isId(payment) || !target) return say(admin, (t) => t.usage.assign);
    await decideByCommand(admin, { kind: 'assign', paymentId: Number(payment), target });
  });

  command('approve', async (_ctx, admin, [payment, target, ...rest]) => {
    if (!payment || !isId(payment) || rest.length > 0) return say(admin, (t) => t.usage.approve);
    const paymentId = Number(payment);
    await decideByCommand(
      admin,
      target ? { kind: 'assign', paymentId, target } : { kind: 'approve', paymentId, orderNo: null },
    );
  });

  command('reject', async (_ctx, admin, [payment, ...rest]) => {
    if (!payment || !isId(payment) || rest.length > 0) return say(admin, (t) => t.usage.reject);
    await decideByCommand(admin, { kind: 'reject', paymentId: Number(payment) });
  });
}
