// `npx tsx bench/web-outbox-only.ts [--quick]`: the HTTP outbox's figures alone, printed (BENCHMARKS.md untouched).

import { ms } from './stats.ts';
import { benchCreditToNotify, benchFailingShop } from './web-outbox.bench.ts';

const quick = process.argv.includes('--quick');
for (const kind of ['postgres', 'pglite'] as const) {
  const latency = await benchCreditToNotify({ kind, payments: quick ? 20 : 100 });
  console.log(
    `[${kind}] credit → notify received (n=${latency.total.n}): p50 ${ms(latency.total.p50)}, p95 ${ms(latency.total.p95)}, max ${ms(latency.total.max)}; of which paid → try starts p50 ${ms(latency.toTry.p50)}, p95 ${ms(latency.toTry.p95)}`,
  );
  const failing = await benchFailingShop({ kind, notifies: quick ? 200 : 1_000 });
  console.log(
    `[${kind}] failing shop: ${failing.delivered} delivered, ${failing.exactlyOnce} answered success exactly once, ${failing.fourTries} with exactly 4 tries, ${failing.early} tries early, in ${(failing.wallMs / 1000).toFixed(1)} s; retry lateness p50 ${ms(failing.lateness.p50)}, p95 ${ms(failing.lateness.p95)}, max ${ms(failing.lateness.max)}`,
  );
}
process.exit(0);
