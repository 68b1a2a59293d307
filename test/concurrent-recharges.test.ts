// 200 customers send `/recharge 10` at once: every answer is a photo with its own payable amount or the
// clear "retry shortly" reply — no error, no amount given twice — with a window large enough for everyone
// and with the default window that fills up.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { textsFor } from '../src/modules/notify/customer-texts.ts';
import { eventually } from './support/eventually.ts';
import { type Stack, startStack } from './support/stack.ts';
import type { SentMessage } from './support/telegram-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const CUSTOMERS = 200;
const PAYABLE = /<b>¥(\d+\.\d{2})<\/b>/;

describe.each(DATABASE_KINDS)('200 concurrent recharges on %s', (kind) => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
  });

  async function rechargeAll(offsetMaxFen: number) {
    const started = await startStack(kind, { AMOUNT_OFFSET_MAX_FEN: String(offsetMaxFen) });
    stack = started;
    await started.startService();
    const users = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: 100_000 + i, firstName: `U${i}` }));
    const customerIds = new Set(users.map((user) => user.id));
    const t0 = Date.now();
    for (const user of users) started.telegram.sendText(user, '/recharge 10');
    const answered = new Map<number, SentMessage[]>();
    await eventually(async () => {
      answered.clear();
      // Customers only: a full window also alarms the admins.
      for (const m of started.telegram.sent)
        if (customerIds.has(m.chatId)) answered.set(m.chatId, [...(answered.get(m.chatId) ?? []), m]);
      return answered.size === CUSTOMERS ? true : undefined;
    }, 90_000);
    const elapsedMs = Date.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // nothing more may follow
    const answers = users.map((user) => started.telegram.sent.filter((m) => m.chatId === user.id));
    expect(answers.every((list) => list.length === 1)).toBe(true);

    const photos = answers.flat().filter((m) => m.method === 'sendPhoto');
    const others = answers.flat().filter((m) => m.method !== 'sendPhoto');
    for (const m of others) expect(m.text).toBe(textsFor('zh').amountsBusy);
    const payables = photos.map((m) => PAYABLE.exec(m.caption ?? '')?.[1]);
    expect(payables.every((p) => p !== undefined)).toBe(true);
    expect(new Set(payables).size).toBe(photos.length);

    const pending = await started.rows<{ payable_fen: number }>(
      sql`select payable_fen from orders where status = 'pending' order by payable_fen desc`,
    );
    expect(pending).toHaveLength(photos.length);
    expect(new Set(pending.map((o) => o.payable_fen)).size).toBe(photos.length);
    const [failed] = await started.rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where status = 'failed'`,
    );
    expect(failed?.n).toBe(0);
    console.info(
      `[${kind}] ${CUSTOMERS} concurrent /recharge 10, AMOUNT_OFFSET_MAX_FEN=${offsetMaxFen}: ` +
        `${photos.length} photos, ${others.length} "retry shortly", all answered in ${elapsedMs} ms`,
    );
    return { photos: photos.length, busy: others.length, pending: pending.map((o) => o.payable_fen) };
  }

  it('gives all 200 a photo with a distinct payable amount when the window is large enough', async () => {
    const { photos, busy, pending } = await rechargeAll(300);
    expect({ photos, busy }).toEqual({ photos: CUSTOMERS, busy: 0 });
    // The amounts handed out are exactly ¥10.00 down to ¥8.01: no gap, no repeat.
    expect(pending).toEqual(Array.from({ length: CUSTOMERS }, (_, i) => 1000 - i));
  }, 180_000);

  it('gives the 51 amounts of the default window once each and tells the other 149 to retry shortly', async () => {
    const { photos, busy, pending } = await rechargeAll(50);
    expect({ photos, busy }).toEqual({ photos: 51, busy: CUSTOMERS - 51 });
    expect(pending).toEqual(Array.from({ length: 51 }, (_, i) => 1000 - i));
  }, 180_000);
});
