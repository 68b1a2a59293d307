// Review cards' buttons and their callback data: `approve:<payment>[:<order>]`, `reject:<payment>`, `refund:<payment>`.

import type { AdminDecision, AdminTexts } from '../notify/admin-texts.ts';
import type { InlineButton } from '../outbox/outbox-message.ts';

export type CardPress =
  | { decision: 'approve'; paymentId: number; orderNo: string | null }
  | { decision: 'reject' | 'refund'; paymentId: number };

export interface CardCandidate {
  orderNo: string;
  payableFen: number;
  status: string;
}

const CALLBACK = /^(approve|reject|refund):(\d{1,15})(?::([A-Z0-9]{6,20}))?$/;

/** Null for anything that is not a well-formed card button (stale formats, forged data). */
export function parseCardPress(data: string): CardPress | null {
  const match = CALLBACK.exec(data);
  if (!match) return null;
  const decision = match[1] as AdminDecision;
  const paymentId = Number(match[2]);
  if (decision === 'approve') return { decision, paymentId, orderNo: match[3] ?? null };
  return match[3] === undefined ? { decision, paymentId } : null;
}

/**
 * The card's keyboard: approve to the order the payment names, or one button per likely order
 * when none is clear (or a bare approve that explains /assign), then reject and refund.
 */
export function cardButtons(
  texts: AdminTexts,
  paymentId: number,
  namedOrderNo: string | null,
  candidates: readonly CardCandidate[],
): InlineButton[][] {
  const approve: InlineButton[][] = namedOrderNo
    ? [[{ text: texts.approveButton(namedOrderNo), callbackData: `approve:${paymentId}` }]]
    : candidates.length > 0
      ? candidates.map((c) => [
          {
            text: texts.candidateButton(c.orderNo, c.payableFen, c.status),
            callbackData: `approve:${paymentId}:${c.orderNo}`,
          },
        ])
      : [[{ text: texts.approveButton(null), callbackData: `approve:${paymentId}` }]];
  return [
    ...approve,
    [
      { text: texts.rejectButton, callbackData: `reject:${paymentId}` },
      { text: texts.refundButton, callbackData: `refund:${paymentId}` },
    ],
  ];
}
