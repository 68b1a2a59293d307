// `npm run backup` and the README's restore: the embedded database copied while the service runs, restored
// into a fresh DATA_DIR and run again with its data; on PostgreSQL, the pg_dump / pg_restore it prints.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { fetchHealth, type ServiceProcess, spawnService } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import type { TelegramUser } from './support/telegram-double.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const customer: TelegramUser = { id: 91_001, firstName: 'Bao' };

/** A customer who recharged ¥10 and was credited: the data a restore must bring back. */
async function creditedOrder(stack: Stack): Promise<string> {
  const { orderNo, payable } = await recharge(stack, customer, '10');
  await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
  await stack.telegram.waitFor((m) => m.chatId === customer.id && (m.text ?? '').includes('✅'));
  return orderNo;
}

async function answerTo(stack: Stack, text: string): Promise<string> {
  const before = stack.telegram.sent.length;
  stack.telegram.sendText(customer, text);
  const reply = await stack.telegram.waitFor(
    (m) => m.chatId === customer.id && stack.telegram.sent.indexOf(m) >= before,
    30_000,
  );
  return reply.text ?? '';
}

const healthy = (port: string) =>
  eventually(async () => ((await fetchHealth(port))?.status === 200 ? true : undefined), 60_000);

describe('backups of the embedded database', () => {
  let stack: Stack;
  let folder: string;
  const running: ServiceProcess[] = [];
  const spawned = (env: Record<string, string>, options?: Parameters<typeof spawnService>[1]) => {
    const child = spawnService(env, options);
    running.push(child);
    return child;
  };
  beforeAll(async () => {
    stack = await startStack('pglite');
    folder = await mkdtemp(join(tmpdir(), 'mailpay-backup-'));
  });
  afterAll(async () => {
    for (const child of running) child.child.kill('SIGKILL');
    await stack?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('copies the database while the service runs; restored into a fresh DATA_DIR, the service runs on it with the data', async () => {
    const port = stack.env.HTTP_PORT ?? '';
    const service = spawned(stack.env);
    await healthy(port);
    const orderNo = await creditedOrder(stack);

    const file = join(folder, 'running.tar.gz');
    const backup = spawned({ DATA_DIR: stack.env.DATA_DIR ?? '' }, { script: 'backup', args: [file] });
    expect(await backup.exited).toBe(0);
    expect(backup.output().stdout).toContain(`by the running service (pid ${service.child.pid})`);
    expect(backup.output().stdout).toContain(file);
    // The service went on serving, and a second process on the same DATA_DIR is refused.
    expect(await answerTo(stack, '/balance')).toContain('¥10.00');
    const second = spawned(stack.env);
    expect(await second.exited).toBe(1);
    expect(second.output().stdout).toContain(`is in use by process ${service.child.pid}`);

    // The README's restore, into a fresh folder, while the old service still runs.
    const restored = join(folder, 'restored');
    mkdirSync(restored, { recursive: true });
    execFileSync('tar', ['-xzf', file, '-C', restored], { stdio: 'ignore' });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);

    const again = spawned({ ...stack.env, DATA_DIR: restored });
    await healthy(port);
    expect(await answerTo(stack, '/balance')).toContain('¥10.00');
    const orders = await answerTo(stack, '/orders');
    expect(orders).toContain(orderNo);
    expect(orders).toContain('已到账');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 240_000);

  it('copies DATA_DIR directly when no service runs, and the copy opens with its data', async () => {
    const restored = join(folder, 'restored');
    const file = join(folder, 'stopped.tar.gz');
    const backup = spawned({ DATA_DIR: restored }, { script: 'backup', args: [file] });
    expect(await backup.exited).toBe(0);
    expect(backup.output().stdout).toContain('from DATA_DIR (no service running)');

    const copy = join(folder, 'copy');
    mkdirSync(copy);
    execFileSync('tar', ['-xzf', file, '-C', copy], { stdio: 'ignore' });
    const db = await PGlite.create(copy);
    try {
      const { rows } = await db.query<{ balance_fen: string }>(
        `select balance_fen::text from customers where channel = 'telegram' and external_id = '${customer.id}'`,
      );
      expect(rows).toEqual([{ balance_fen: '1000' }]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('never writes over an existing file', async () => {
    const file = join(folder, 'stopped.tar.gz');
    const backup = spawned({ DATA_DIR: join(folder, 'restored') }, { script: 'backup', args: [file] });
    expect(await backup.exited).toBe(1);
    expect(backup.output().stderr).toContain('already exists');
  }, 60_000);
});

describe('backups with PostgreSQL', () => {
  let stack: Stack;
  let target: TestDatabase;
  let folder: string;
  beforeAll(async () => {
    stack = await startStack('postgres');
    target = await createTestDatabase('postgres');
    folder = await mkdtemp(join(tmpdir(), 'mailpay-backup-'));
  });
  afterAll(async () => {
    await stack?.dispose();
    await target?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('writes nothing, and the pg_dump and pg_restore commands it prints bring the data back', async () => {
    await stack.startService();
    await creditedOrder(stack);
    await stack.stopService();

    const url = new URL(stack.env.DATABASE_URL ?? '');
    url.password = 'not-for-the-screen';
    const file = join(folder, 'mailpay.dump');
    const advice = spawnService({ DATABASE_URL: url.toString() }, { script: 'backup', args: [file] });
    expect(await advice.exited).toBe(1);
    const { stderr } = advice.output();
    expect(stderr).not.toContain('not-for-the-screen');
    const command = (name: string) =>
      stderr
        .split('\n')
        .find((line) => line.trim().startsWith(name))
        ?.trim() ?? '';
    expect(command('pg_dump')).toContain(`--file=${file}`);

    // Run them as printed (trust authentication: no password needed here), restoring into another database.
    execFileSync('sh', ['-c', command('pg_dump')], { stdio: 'ignore' });
    const restore = command('pg_restore').replace(
      url.pathname,
      new URL(target.env.DATABASE_URL ?? '').pathname,
    );
    execFileSync('sh', ['-c', restore], { stdio: 'ignore' });
    const sql = postgres(target.env.DATABASE_URL ?? '', { max: 1, onnotice: () => {} });
    try {
      const rows =
        await sql`select balance_fen::text from customers where channel = 'telegram' and external_id = ${String(customer.id)}`;
      expect(rows.map((r) => r.balance_fen)).toEqual(['1000']);
    } finally {
      await sql.end();
    }
  }, 120_000);
});
