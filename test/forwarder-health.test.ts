// /health, /healthz and the silence alarm know the forwarder webhook as a source of its own: a webhook silent
// while orders wait raises its alarm even when mail arrives, and the refusals are counted where admins look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { defaultContent, defaultFormPost, kotlinSign, post } from './support/sms-forwarder.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const TOKEN = 'fw-health-token-0123456789';
const SECRET = 'sms-forwarder-health-secret';
const ALARM = '🚨 告警：有订单在等待付款，但转发应用的 Webhook';
const CLEARED = '✅ 恢复：转发应用的 Webhook又送来付款通知了。';

describe.each(DATABASE_KINDS)('the forwarder in health and alarms on %s', (kind) => {
  let stack: Stack;
  let offsetMs = 0;
  const serviceNow = () => Date.now() + offsetMs;
  const adminTexts = (marker: string) =>
    stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(marker));
  const healthz = async () => {
    const response = await fetch(`http://127.0.0.1:${stack.service?.healthPort}/healthz`);
    return {
      status: response.status,
      body: (await response.json()) as { components: Record<string, unknown> },
    };
  };
  const url = () => `http://127.0.0.1:${stack.service?.healthPort}/hooks/forwarder/${TOKEN}`;

  beforeAll(async () => {
    stack = await startStack(
      kind,
      { FORWARDER_TOKEN: TOKEN, FORWARDER_SECRET: SECRET, SILENCE_ALARM_MINUTES: '1' },
      { clock: { now: () => new Date(serviceNow()) }, tuning: { alarmCheckMs: 200 } },
    );
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('alarms on a silent webhook while mail still arrives, and clears once the webhook brings a payment', async () => {
    const a = await recharge(stack, { id: 82_001 + (kind === 'pglite' ? 500 : 0), firstName: 'A' }, '31');
    const b = await recharge(stack, { id: 82_101 + (kind === 'pglite' ? 500 : 0), firstName: 'B' }, '32');
    offsetMs = 2 * 60_000;
    await eventually(async () => (adminTexts(ALARM).length === 1 ? true : undefined), 20_000);
    // Mail pays A: the mail-wide silence ends, the webhook's does not.
    await stack.deliver(forwardedAlipayTransfer({ amount: a.payable, memo: a.orderNo }));
    await eventually(
      async () => (adminTexts('✅ 恢复：又收到付款通知了。').length === 1 ? true : undefined),
      20_000,
    );
    const down = await healthz();
    expect(down.status).toBe(503);
    expect(down.body.components.forwarder).toEqual({ up: false, counts: {} });

    const bad = defaultFormPost({ from: 'x', content: 'y', timestamp: serviceNow(), sign: 'forged' });
    expect((await post(url(), bad)).status).toBe(401);
    const timestamp = serviceNow();
    const content = defaultContent({
      packageName: 'com.eg.android.AlipayGphone',
      text: [`支付助手: ￥${b.payable} 收到一笔转账`, '付款方：李四', `转账备注：${b.orderNo}`],
      title: '支付助手',
      at: new Date(timestamp),
    });
    const paid = defaultFormPost({
      from: 'com.eg.android.AlipayGphone',
      content,
      timestamp,
      sign: kotlinSign(SECRET, timestamp),
    });
    expect(await post(url(), paid)).toEqual({ status: 200, text: 'ok' });
    await eventually(async () => (adminTexts(CLEARED).length === 1 ? true : undefined), 20_000);
    expect(adminTexts(ALARM)).toHaveLength(1);
    const up = await eventually(async () => {
      const state = await healthz();
      return state.status === 200 ? state : undefined;
    });
    expect(up.body.components.forwarder).toEqual({ up: true, counts: { bad_sign: 1 } });

    stack.telegram.sendText({ id: ADMIN_ID, firstName: 'Ada' }, '/health');
    const health = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').startsWith('🩺'),
    );
    expect(health.text).toMatch(
      /Webhook：最近一条付款通知 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}；拒收 签名错误 1/,
    );
  });
});
