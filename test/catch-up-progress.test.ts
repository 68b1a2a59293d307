// A catch-up of a backlog says how far it has got: a progress line every interval (not one per batch), and
// the admins' /health shows the backlog while it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catchUpFigures,
  describeCatchUp,
  formatDuration,
  startCatchUp,
} from '../src/modules/ingestion/mail/catch-up-progress.ts';
import { signMail } from './support/dkim.ts';
import { eventually } from './support/eventually.ts';
import { captureLogs, type LogRecord } from './support/log-capture.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { insertPendingOrders, ledgerByOrder } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const BACKLOG = 400;
const PROGRESS = /^catching up: (\d+) of (\d+), \d+\/s, ETA (\d+ s|\d+ min \d+ s|unknown)$/;

describe('catch-up figures', () => {
  it('gives done of total, the rate so far and the time left at that rate', () => {
    const started = startCatchUp(1_000, 800);
    expect(catchUpFigures(started, 1_000)).toEqual({ done: 0, total: 800, perSecond: 0, etaSeconds: null });
    const later = { ...started, done: 200, remaining: 650 }; // 50 more arrived meanwhile
    const figures = catchUpFigures(later, 5_000);
    expect(figures).toEqual({ done: 200, total: 850, perSecond: 50, etaSeconds: 13 });
    expect(describeCatchUp(figures)).toBe('catching up: 200 of 850, 50/s, ETA 13 s');
  });

  it('writes durations a person reads at a glance', () => {
    expect([0.4, 45, 200, 3_599.6, 7_500].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '3 min 20 s',
      '1 h 0 min',
      '2 h 5 min',
    ]);
  });
});

describe.each(DATABASE_KINDS)('catch-up progress on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { ORDER_TTL_SECONDS: '86400' });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('logs "catching up: N of M, x/s, ETA …" on a timer and shows the backlog in /health', async () => {
    // The first start sets the cursor at the mailbox's end; the backlog arrives while the service is down.
    const service = await stack.startService();
    const orders = Array.from({ length: BACKLOG }, (_, i) => ({
      orderNo: `PRGS${String(i)
        .padStart(4, '0')
        .replace(/[01]/g, (d) => (d === '0' ? 'A' : 'B'))}`,
      payableFen: 20_000 + i,
    }));
    await insertPendingOrders(service.database.db, orders, { firstCustomerId: 70_000 });
    await stack.stopService();
    const mails = await Promise.all(
      orders.map((order) =>
        signMail(
          forwardedAlipayTransfer({ amount: (order.payableFen / 100).toFixed(2), memo: order.orderNo }),
          stack.dkim,
        ),
      ),
    );
    await stack.dovecot.appendAll(mails);

    const { logger, records } = captureLogs();
    const progress = () => records.filter((r) => PROGRESS.test(r.msg));
    await stack.startService({ logger, tuning: { mailbox: { progressIntervalMs: 50 } } });
    await eventually(async () => (progress().length > 0 ? true : undefined), 30_000);
    const asked = stack.telegram.sent.length;
    stack.telegram.sendText({ id: ADMIN_ID, firstName: 'Ada' }, '/health');

    const caughtUp = await eventually(
      async () => records.find((r) => r.msg.startsWith('caught up:')) ?? undefined,
      120_000,
    );
    expect(caughtUp.msg).toBe(`caught up: ${BACKLOG} messages in ${caughtUp.msg.split(' in ')[1]}`);
    const lines = progress();
    const figures = lines.map((r: LogRecord) => {
      const [, done, total] = PROGRESS.exec(r.msg) ?? [];
      return { done: Number(done), total: Number(total) };
    });
    console.log(`[${kind}] ${lines.length} progress lines, the last: ${lines.at(-1)?.msg}; ${caughtUp.msg}`);
    // 400 messages are fetched and committed in 2 batches of 200: a line per interval, not per batch.
    expect(lines.length).toBeGreaterThan(2);
    for (const f of figures) expect(f.total).toBe(BACKLOG);
    const done = figures.map((f) => f.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBeGreaterThan(1);

    const health = await stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID &&
        stack.telegram.sent.indexOf(m) >= asked &&
        (m.text ?? '').includes('运行状态'),
      60_000,
    );
    const backlog = /补收邮件中：(\d+) \/ (\d+)，\d+ 封\/秒，预计还需 (\d+ s|\d+ min \d+ s|—)/.exec(
      health.text ?? '',
    );
    expect(backlog, health.text).not.toBeNull();
    expect(Number(backlog?.[2])).toBe(BACKLOG);
    expect(Number(backlog?.[1])).toBeLessThan(BACKLOG);

    const ledger = await ledgerByOrder(stack.rows);
    expect(orders.filter((o) => ledger.get(o.orderNo)?.n === 1)).toHaveLength(BACKLOG);
    // Caught up: /health no longer shows a backlog.
    const after = stack.telegram.sent.length;
    stack.telegram.sendText({ id: ADMIN_ID, firstName: 'Ada' }, '/health');
    const idle = await stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID &&
        stack.telegram.sent.indexOf(m) >= after &&
        (m.text ?? '').includes('运行状态'),
      60_000,
    );
    expect(idle.text).not.toContain('补收邮件中');
  }, 240_000);
});
