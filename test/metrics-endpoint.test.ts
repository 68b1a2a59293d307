// GET /metrics as Prometheus scrapes it: figures that follow a payment from order to credit, the role and
// the mailbox, in the text exposition format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

async function scrape(stack: Stack): Promise<{ type: string | null; text: string }> {
  const response = await fetch(`http://127.0.0.1:${stack.env.HTTP_PORT}/metrics`);
  return { type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample line (`name{labels} value`); undefined when the line is missing. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(DATABASE_KINDS)('the metrics endpoint on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('counts a credited payment, its latency, the role and the mailbox', async () => {
    const before = await scrape(stack);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(before.text, 'mailpay_credits')).toBe(0);
    const role = kind === 'postgres' ? 'leader' : 'single';
    expect(sample(before.text, `mailpay_instance_role{role="${role}"}`)).toBe(1);
    expect(sample(before.text, 'mailpay_leader')).toBe(1);
    expect(sample(before.text, 'mailpay_mailbox_state{state="connected"}')).toBe(1);

    const user = { id: 5151, languageCode: 'en' };
    const { orderNo, payable } = await recharge(stack, user, '10');
    expect(sample((await scrape(stack)).text, 'mailpay_outbox_backlog')).toBeGreaterThanOrEqual(0);
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: `充值-${orderNo}` }));
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));

    const after = await eventually(async () => {
      const { text } = await scrape(stack);
      return sample(text, 'mailpay_credits') === 1 ? text : undefined;
    });
    expect(sample(after, 'mailpay_notifications{outcome="matched"}')).toBe(1);
    expect(sample(after, 'mailpay_review_queue')).toBe(0);
    expect(sample(after, 'mailpay_arrival_to_credit_seconds_count')).toBe(1);
    expect(sample(after, 'mailpay_arrival_to_credit_seconds_bucket{le="+Inf"}')).toBe(1);
    // Observed once: a second scrape does not count the same credit again.
    const again = (await scrape(stack)).text;
    expect(sample(again, 'mailpay_arrival_to_credit_seconds_count')).toBe(1);
  });
});
