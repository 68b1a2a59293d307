// The scheduled health report (a seconds-resolution cron) and the alarms, each announced once per incident
// and once on recovery.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './support/admin.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const adminTexts = (stack: Stack, marker: string) =>
  stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(marker));

describe.each(DATABASE_KINDS)('health report on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { HEALTH_REPORT_CRON: '*/2 * * * * *', TZ: 'Asia/Shanghai' });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('delivers the report on HEALTH_REPORT_CRON with the figures and the credit latency', async () => {
    const user = { id: 30_001, firstName: 'Cu' };
    const { orderNo, payable } = await recharge(stack, user, '10');
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));
    // A report built before the credit can still arrive after the customer's message (other chat, no
    // order between them): wait for the first one that counts the paid order.
    const report = await stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID && (m.text ?? '').includes('运行报告') && (m.text ?? '').includes('已付 1'),
      6_000,
    );
    expect(report.text).toContain('邮箱：已连接');
    expect(report.text).toMatch(/最近一封邮件：\d{4}-\d\d-\d\d/);
    expect(report.text).toContain('订单：新建 1，已付 1，过期 0');
    expect(report.text).toMatch(/付款通知 1：自动入账 1/);
    expect(report.text).toContain('自动匹配率：100%');
    expect(report.text).toMatch(/中位 \d+\.\d 秒，最慢 \d+\.\d 秒/);
    expect(report.text).toMatch(/错误：无法处理的邮件 0，放弃发送的消息 0/);
    expect(report.text).toContain('余额与流水一致');
  });
});

describe.each(DATABASE_KINDS)('alarms on %s', (kind) => {
  let stack: Stack;
  let offsetMs = 0;
  beforeAll(async () => {
    stack = await startStack(
      kind,
      { SILENCE_ALARM_MINUTES: '1' },
      { clock: { now: () => new Date(Date.now() + offsetMs) }, tuning: { alarmCheckMs: 200 } },
    );
    await stack.startService();
    // On first start the watcher begins at the mailbox's end: deliver only once it has its place.
    await eventually(async () =>
      (await stack.rows(sql`select 1 from mailbox_cursors`)).length > 0 ? true : undefined,
    );
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('alarms once when a trusted sender mail no rule parses, and once when parsing is back', async () => {
    const seen = (marker: string, count = 1) =>
      eventually(async () => (adminTexts(stack, marker).length >= count ? true : undefined), 20_000);
    await stack.deliver(forwardedAlipayTransfer({ amount: '10.123' }));
    await seen('🚨 告警：受信任发件人');
    await stack.deliver(forwardedAlipayTransfer({ amount: '10.456' }));
    await seen('无法处理（unparsed）', 2);
    await sleep(800);
    expect(adminTexts(stack, '🚨 告警：受信任发件人')).toHaveLength(1);

    await stack.deliver(forwardedAlipayTransfer({ amount: '0.01' }));
    await seen('✅ 恢复：受信任发件人');
    await sleep(800);
    expect(adminTexts(stack, '✅ 恢复：受信任发件人')).toHaveLength(1);
    expect(adminTexts(stack, '🚨 告警：受信任发件人')).toHaveLength(1);
  });

  it('alarms once when orders wait SILENCE_ALARM_MINUTES with no notification, and once when one arrives', async () => {
    const user = { id: 30_002, firstName: 'Cu' };
    await recharge(stack, user, '20');
    await sleep(600);
    expect(adminTexts(stack, '没有收到付款通知')).toHaveLength(0);

    offsetMs = 2 * 60_000;
    const alarm = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('没有收到付款通知'),
    );
    expect(alarm.text).toContain('2 分钟');
    await sleep(800);
    expect(adminTexts(stack, '没有收到付款通知')).toHaveLength(1);

    await stack.deliver(forwardedAlipayTransfer({ amount: '0.02' }));
    await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('✅ 恢复：又收到付款通知'),
    );
    await sleep(800);
    expect(adminTexts(stack, '✅ 恢复：又收到付款通知')).toHaveLength(1);
    expect(adminTexts(stack, '没有收到付款通知')).toHaveLength(1);
  });
});
