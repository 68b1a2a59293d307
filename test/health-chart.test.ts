// The health report's picture: after the report's text, every admin gets a PNG of the last 7 days whose
// bars show today's credit, decoded here as a Telegram client would show it.
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

/** Pixels of exactly the colour `hex` (the chart draws its bars without anti-aliasing). */
function pixelsOf(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) n++;
  }
  return n;
}

describe.each(DATABASE_KINDS)('health chart on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { HEALTH_REPORT_CRON: '*/2 * * * * *', TZ: 'Asia/Shanghai' });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('follows the report text with a PNG of credited, in review and missed per day and the latency', async () => {
    const user = { id: 30_101, firstName: 'Cu' };
    const { orderNo, payable } = await recharge(stack, user, '10');
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));
    const chart = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && m.method === 'sendPhoto' && /已入账（1）/.test(m.caption ?? ''),
      8_000,
    );
    expect(chart.caption).toMatch(/^📊 \d{4}-\d\d-\d\d — \d{4}-\d\d-\d\d 每天/);
    const text = stack.telegram.sent.find(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('运行报告'),
    );
    expect(text?.text).toContain('余额与流水一致');
    const png = PNG.sync.read(chart.photo?.bytes ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([800, 400]);
    // Not blank: today's credited bar is drawn, the latency point too; nothing is in review or missed.
    expect(pixelsOf(png, '#2e9e4f')).toBeGreaterThan(1000);
    expect(pixelsOf(png, '#2f6fd6')).toBeGreaterThan(20);
    expect(pixelsOf(png, '#d64541')).toBe(0);
  });
});
