// The payer's choice of provider on the checkout page, for a shop order sent without `type`: it moves the
// order to that provider's scope at a free payable amount, once; conflicts and races are answered, not guessed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrlOf, CHECKOUT_ENV, shopOrder } from './support/checkout.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('checkout provider choice on %s', (kind) => {
  let stack: Stack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack(kind, CHECKOUT_ENV);
    await stack.startService();
    base = baseUrlOf(stack);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const choose = (orderNo: string, provider: string, lang = 'zh') =>
    fetch(`${base}/pay/${orderNo}/provider?lang=${lang}`, {
      method: 'POST',
      body: new URLSearchParams({ provider }),
      redirect: 'manual',
    });
  const orderRow = async (orderNo: string) => {
    const [row] = await stack.rows<{ provider: string | null; payable_fen: number }>(
      sql`select provider, payable_fen from orders where order_no = ${orderNo}`,
    );
    return row;
  };

  it('offers Alipay and WeChat Pay before any QR code when the shop sent no type', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 1000, type: null });
    const body = await (await fetch(`${base}/pay/${orderNo}`)).text();
    expect(body).toContain(`action="/pay/${orderNo}/provider?lang=zh"`);
    expect(body).toContain('name="provider" value="alipay">支付宝</button>');
    expect(body).toContain('name="provider" value="wechat">微信支付</button>');
    expect(body).not.toContain('<svg');
  });

  it('moves the order to the chosen scope at a free amount, then shows that code', async () => {
    // ¥20.00 is taken by a pending WeChat order: the choice gets the next free amount there.
    await shopOrder(stack, { payableFen: 2000, type: 'wxpay' });
    const orderNo = await shopOrder(stack, { payableFen: 2000, type: null });
    const response = await choose(orderNo, 'wechat', 'en');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/pay/${orderNo}?lang=en`);
    expect(await orderRow(orderNo)).toEqual({ provider: 'wechat', payable_fen: 1999 });
    const body = await (await fetch(`${base}/pay/${orderNo}?lang=en`)).text();
    expect(body).toContain('Scan with WeChat to pay');
    expect(body).toContain('¥19.99');
    expect(body).not.toContain('name="provider"');
    const [shop] = await stack.rows<{ type: string | null }>(
      sql`select s.type from shop_orders s join orders o on o.id = s.order_id where o.order_no = ${orderNo}`,
    );
    expect(shop?.type).toBeNull(); // as the shop sent it; the notify derives `wxpay` from the provider
  });

  it('keeps the requested amount when it is free in the chosen scope', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 2100, type: null });
    expect((await choose(orderNo, 'alipay')).status).toBe(303);
    expect(await orderRow(orderNo)).toEqual({ provider: 'alipay', payable_fen: 2100 });
  });

  it('takes the same choice twice as one, and refuses another choice afterwards', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 2200, type: null });
    expect((await choose(orderNo, 'alipay')).status).toBe(303);
    expect((await choose(orderNo, 'alipay')).status).toBe(303);
    const other = await choose(orderNo, 'wechat');
    expect(other.status).toBe(409);
    expect(await other.text()).toContain('已选择付款方式');
    expect(await orderRow(orderNo)).toEqual({ provider: 'alipay', payable_fen: 2200 });
  });

  it('changes nothing for an expired or paid order, an order the shop gave a type, or a bad provider', async () => {
    const expired = await shopOrder(stack, {
      payableFen: 2300,
      type: null,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect((await choose(expired, 'alipay')).status).toBe(303);
    expect(await orderRow(expired)).toEqual({ provider: null, payable_fen: 2300 });
    const paid = await shopOrder(stack, { payableFen: 2301, type: null });
    await stack.rows(sql`update orders set status = 'paid', closed_at = now() where order_no = ${paid}`);
    expect((await choose(paid, 'wechat')).status).toBe(303);
    expect(await orderRow(paid)).toEqual({ provider: null, payable_fen: 2301 });
    const typed = await shopOrder(stack, { payableFen: 2302, type: 'alipay' });
    expect((await choose(typed, 'wechat')).status).toBe(409);
    expect(await orderRow(typed)).toEqual({ provider: 'alipay', payable_fen: 2302 });
    const open = await shopOrder(stack, { payableFen: 2303, type: null });
    for (const provider of ['paypal', '', 'alipay'.repeat(400)]) {
      expect((await choose(open, provider)).status).toBe(400);
    }
    expect(await orderRow(open)).toEqual({ provider: null, payable_fen: 2303 });
    expect((await choose('ABCDEFGH', 'alipay')).status).toBe(404);
  });

  it('answers "try again shortly" when every amount of the window is taken in the chosen scope', async () => {
    // AMOUNT_OFFSET_MAX_FEN=50, down: ¥30.00 … ¥29.50 all held by pending Alipay orders.
    for (let fen = 3000; fen >= 2950; fen--) await shopOrder(stack, { payableFen: fen, type: 'alipay' });
    const orderNo = await shopOrder(stack, { payableFen: 3000, type: null });
    const response = await choose(orderNo, 'alipay');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await orderRow(orderNo)).toEqual({ provider: null, payable_fen: 3000 });
    expect((await choose(orderNo, 'wechat')).status).toBe(303);
    expect(await orderRow(orderNo)).toEqual({ provider: 'wechat', payable_fen: 3000 });
  });

  it.runIf(kind === 'postgres')(
    'gives concurrent choices distinct amounts, and one order one provider',
    async () => {
      // Ten provider-less orders of ¥40.00 (at ¥40.00 … ¥39.91 in the "any" scope) choose WeChat Pay at once.
      const orders: string[] = [];
      for (let i = 0; i < 10; i++) orders.push(await shopOrder(stack, { payableFen: 4000 - i, type: null }));
      await stack.rows(sql`update orders set requested_fen = 4000 where order_no in ${orders}`);
      const answers = await Promise.all(orders.map((orderNo) => choose(orderNo, 'wechat')));
      expect(answers.map((r) => r.status)).toEqual(orders.map(() => 303));
      const amounts = await Promise.all(
        orders.map(async (orderNo) => (await orderRow(orderNo))?.payable_fen),
      );
      expect(new Set(amounts).size).toBe(10);
      expect([...amounts].sort()).toEqual(Array.from({ length: 10 }, (_, i) => 3991 + i));

      const contested = await shopOrder(stack, { payableFen: 4100, type: null });
      const both = await Promise.all([choose(contested, 'alipay'), choose(contested, 'wechat')]);
      expect(both.map((r) => r.status).sort()).toEqual([303, 409]);
      const winner = both[0]?.status === 303 ? 'alipay' : 'wechat';
      expect(await orderRow(contested)).toEqual({ provider: winner, payable_fen: 4100 });
    },
  );
});
