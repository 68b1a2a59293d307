// Balance API debits over HTTP: one at a time (what one debit costs), and many customers' debits at once, and one
// customer's debits at once (they queue on the customer's row lock by design).

import { fundedCustomer, serveBalanceApi } from '../test/support/balance-api.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { openUseCaseDatabase } from '../test/support/use-case-database.ts';
import { summarise } from './stats.ts';

export async function benchDebits(options: { kind: DatabaseKind; debits: number }) {
  const handle = await openUseCaseDatabase(options.kind);
  const api = await serveBalanceApi(handle.database);
  let key = 0;
  const timedDebit = async (customer: string) => {
    const started = performance.now();
    const reply = await api.call('POST', `/api/v1/customers/${customer}/debits`, {
      body: { amount: '0.01', reason: 'bench' },
      headers: { 'idempotency-key': `bench-${++key}` },
    });
    if (reply.status !== 201) throw new Error(`debit answered ${reply.status}`);
    return performance.now() - started;
  };
  try {
    const { debits } = options;
    for (let i = 0; i < debits; i++) await fundedCustomer(handle.database, `b-${i}`, 1_000_000);
    const sequential: number[] = [];
    for (let i = 0; i < debits; i++) sequential.push(await timedDebit(`api:b-${i}`));
    let started = performance.now();
    const spread = await Promise.all(Array.from({ length: debits }, (_, i) => timedDebit(`api:b-${i}`)));
    const spreadWallMs = performance.now() - started;
    started = performance.now();
    const oneCustomer = await Promise.all(Array.from({ length: debits }, () => timedDebit('api:b-0')));
    const oneCustomerWallMs = performance.now() - started;
    return {
      sequential: summarise(sequential),
      spread: { ...summarise(spread), wallMs: spreadWallMs },
      oneCustomer: { ...summarise(oneCustomer), wallMs: oneCustomerWallMs },
    };
  } finally {
    await api.close();
    await handle.dispose();
  }
}
