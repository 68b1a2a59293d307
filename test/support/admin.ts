// Helpers for admin console tests: customers recharging, cards reaching admins, the payment a card is about.
import { sql } from 'drizzle-orm';
import { customerOfUser } from './customers.ts';
import { eventually } from './eventually.ts';
import type { Stack } from './stack.ts';
import type { SentMessage } from './telegram-double.ts';

export const ADMIN_2 = 9002;

/**
 * The review card an admin received about a payment whose text contains `marker`, once the service
 * has recorded it as sent (the double sees a message a moment before the service learns its id).
 */
export async function cardFor(stack: Stack, adminId: number, marker: string): Promise<SentMessage> {
  const card = await stack.telegram.waitFor(
    (m) =>
      m.chatId === adminId &&
      m.method === 'sendMessage' &&
      (m.text ?? '').includes(marker) &&
      !!m.replyMarkup,
  );
  await eventually(async () => {
    const rows = await stack.rows(
      sql`select 1 from outbox where chat_id = ${adminId} and telegram_message_id = ${card.id} and status = 'sent'`,
    );
    return rows.length > 0 ? true : undefined;
  });
  return card;
}

export function paymentIdOf(card: SentMessage): number {
  const id = /付款 #(\d+)/.exec(card.text ?? '')?.[1];
  if (!id) throw new Error(`not a card: ${card.text}`);
  return Number(id);
}

export function buttonData(card: SentMessage): string[] {
  return (card.replyMarkup?.inline_keyboard ?? [])
    .flat()
    .map((b: { callback_data: string }) => b.callback_data);
}

/** The edit of `card` (the decision shown on it), once it arrives. */
export function editOf(stack: Stack, card: SentMessage): Promise<SentMessage> {
  return stack.telegram.waitFor(
    (m) => m.method === 'editMessageText' && m.chatId === card.chatId && m.editsMessageId === card.id,
  );
}

export async function paymentRow(stack: Stack, paymentId: number) {
  const [row] = await stack.rows<{ status: string; decided_by: string | null; order_id: string | null }>(
    sql`select status, decided_by::int as decided_by, order_id::int as order_id from payments where id = ${paymentId}`,
  );
  return row;
}

export async function ledgerOf(stack: Stack, userId: number) {
  const rows = await stack.rows<{ kind: string; amount_fen: string; note: string | null }>(
    sql`select kind, amount_fen, note from ledger_entries where customer_id = ${customerOfUser(userId)} order by id`,
  );
  return rows.map((row) => [row.kind, Number(row.amount_fen), row.note] as const);
}

export async function balanceOf(stack: Stack, userId: number): Promise<number> {
  const [row] = await stack.rows<{ balance_fen: string }>(
    sql`select balance_fen from customers where id = ${customerOfUser(userId)}`,
  );
  return Number(row?.balance_fen ?? 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
