// `npm run bench`: runs every benchmark against a private Dovecot, the Bot API double, PostgreSQL and PGlite,
// prints the figures and writes BENCHMARKS.md. It measures; it asserts nothing.
// `npm run bench -- --only=memory` (or main, merchant) measures that section alone and replaces just it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchAllocation } from './allocation.bench.ts';
import { benchCatchUp } from './catch-up.bench.ts';
import { benchCheckoutStatus } from './checkout-status.bench.ts';
import { benchDebits } from './debit.bench.ts';
import { benchEpayCreate, type EpayFigures, WARM_UP_ORDERS_PER_SHOP } from './epay.bench.ts';
import { benchForwarderLatency, benchForwarderThroughput } from './forwarder.bench.ts';
import {
  benchCatchUpWith,
  benchFailover,
  type CatchUpFigures,
  type CatchUpStart,
  catchUpText,
} from './instances.bench.ts';
import { benchIdleLatency, benchPollingLatency } from './latency.bench.ts';
import { benchMemory, type MemoryFigures } from './memory.bench.ts';
import { benchParseAndAuthenticate } from './parse-auth.bench.ts';
import { benchRecharge, type RechargeFigures } from './recharge.bench.ts';
import { benchPrestart } from './start-up.bench.ts';
import { benchStatements, type StatementFigures } from './statements.bench.ts';
import { ms, type Summary, summarise } from './stats.ts';
import { benchCreditToNotify, benchFailingShop } from './web-outbox.bench.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !['main', 'merchant', 'memory'].includes(only)) {
  throw new Error(`--only=${only}: --only=main, --only=merchant or --only=memory`);
}
const scale = (full: number, small: number) => (quick ? small : full);
/** A figures table that prints each row as it is added. */
const figuresTable = () => {
  const rows: string[][] = [];
  return {
    add(figure: string, how: string, goal: string, postgres: string, pglite = '—') {
      rows.push([figure, how, goal, postgres, pglite]);
      console.log(`${figure}: postgres ${postgres} | pglite ${pglite} (goal ${goal})`);
    },
    markdown: () =>
      [
        '| figure | how | goal | PostgreSQL | PGlite |',
        '| --- | --- | --- | --- | --- |',
        ...rows.map((row) => `| ${row.join(' | ')} |`),
      ].join('\n'),
  };
};
const percentiles = (s: Summary, which: Array<'p50' | 'p95' | 'p99'> = ['p50', 'p95', 'p99']) =>
  which.map((p) => `${p} ${ms(s[p])}`).join(', ');

const METHOD_NOTES = `## How to read these figures

- **Overhead, pair by pair** is the credit message's arrival at the double minus the bare IDLE client's
  \`exists\` event for the same message. It can be negative: Dovecot reports new mail at once to a client
  that (re-)enters IDLE, and mailpay re-enters IDLE 300 ms after each sync, while a client that idles
  without pause waits for Dovecot's ~0.5 s notification delay.
- **Catch-up** runs \`npm start\`'s command line (read from package.json) against notifications appended
  while it was stopped, from process start (start-up included) to the log line of the last credit; the
  ledger is counted after it stops. Peak RSS is the process's VmHWM. PGlite's memory is WebAssembly
  memory, outside the V8 heap limit. The customers' messages are not waited for: they go out at
  Telegram's broadcast limit (30 a second) and follow the credits by minutes.
- **\`/recharge\`** runs against \`npm start\`'s process; the customers and the Bot API double run in the
  benchmark's process, as Telegram runs elsewhere. *Server* is from the moment getUpdates hands the
  update to the bot to the photo's arrival at the double; *queued → photo* adds the wait for the bot's
  next getUpdates. *Bursts*: all 50 customers ask at the same moment, again once every answer is in.
  *Sustained*: each customer asks again the moment it has its answer (50 always waiting).
- **Parse + authenticate** feeds the fixture mix through the service's own examination in runs of 200,
  as a catch-up does; the service checks the signature of payments only. The libraries alone are
  mailparser's \`simpleParser\` and mailauth's \`dkimVerify\` (keys from memory) on every message of the
  same mix, one after the other: no code of ours can go below their sum.
- **Allocation**: the 1,000 requests arrive at once and are created 50 to a transaction, the
  transactions side by side on the pool's 10 connections. "request → order" is what each customer waits;
  "transaction" is how long each transaction of up to 50 orders runs; "one at a time" is a single
  request's whole transaction while that many orders of the amount are already pending.
- Nothing here is asserted; the tests never time anything.`;

const startedAt = new Date();
/** Latency, catch-up, `/recharge`, parsing, allocation: the main table. */
async function mainSection(): Promise<string> {
  const table = figuresTable();
  const payments = scale(200, 30);

  const idle = {
    postgres: await benchIdleLatency({ kind: 'postgres', payments }),
    pglite: await benchIdleLatency({ kind: 'pglite', payments }),
  };
  table.add(
    'arrival → credit message (IDLE)',
    `${payments} sequential payments, APPEND done → message at the double`,
    'shown',
    percentiles(idle.postgres.service),
    percentiles(idle.pglite.service),
  );
  table.add(
    'floor: bare imapflow IDLE client',
    'same run, APPEND done → its `exists` event',
    'shown',
    percentiles(idle.postgres.floor),
    percentiles(idle.pglite.floor),
  );
  table.add(
    'mailpay overhead (the two above, pair by pair)',
    'same run',
    'p50 < 50 ms, p99 < 200 ms',
    percentiles(idle.postgres.overhead, ['p50', 'p99']),
    percentiles(idle.pglite.overhead, ['p50', 'p99']),
  );

  const pollSeconds = 60;
  const polling = await benchPollingLatency({ kind: 'postgres', payments: scale(40, 10), pollSeconds });
  const ratio = polling.service.p50 / idle.postgres.service.p50;
  table.add(
    `arrival → credit, polling every ${pollSeconds} s (IDLE off)`,
    `${polling.service.n} payments at random moments`,
    'shown, as a ratio',
    `${percentiles(polling.service)}; p50 ${ratio.toFixed(0)}× the IDLE p50`,
  );

  const notifications = scale(10_000, 1_000);
  const catchUp = {
    postgres: await benchCatchUp({ kind: 'postgres', notifications }),
    pglite: await benchCatchUp({ kind: 'pglite', notifications }),
  };
  const catchUpText = (r: typeof catchUp.postgres) =>
    `${r.perSecond.toFixed(0)}/s (${r.seconds.toFixed(1)} s incl. start-up), peak RSS ${r.peakRssMb.toFixed(0)} MB, ${r.credits} credits for ${r.distinctOrders} orders`;
  table.add(
    'catch-up after downtime',
    `${notifications} notifications appended while stopped; start (\`npm start\`'s process) until the last credit`,
    '≥ 500/s, peak RSS < 256 MB, each credited once',
    catchUpText(catchUp.postgres),
    catchUpText(catchUp.pglite),
  );

  const rechargeOrders = scale(1000, 200);
  const recharge = {
    postgres: await benchRecharge({ kind: 'postgres', customers: 50, orders: rechargeOrders }),
    pglite: await benchRecharge({ kind: 'pglite', customers: 50, orders: rechargeOrders }),
  };
  const rechargeText = (r: RechargeFigures) =>
    `server ${percentiles(r.serverLatency, ['p50', 'p99'])}; queued → photo ${percentiles(r.latency, ['p50', 'p99'])}; ${r.photos} photos, ${(r.orders / (r.wallMs / 1000)).toFixed(0)} orders/s`;
  table.add(
    '`/recharge` → photo, bursts',
    `50 customers at once, again once all are answered, ${rechargeOrders} orders; \`npm start\`'s process`,
    'p99 < 100 ms (server)',
    rechargeText(recharge.postgres.bursts),
    rechargeText(recharge.pglite.bursts),
  );
  table.add(
    '`/recharge` → photo, sustained',
    `50 customers, each asking again the moment it is answered, ${rechargeOrders} orders`,
    'p99 < 100 ms (server)',
    rechargeText(recharge.postgres.sustained),
    rechargeText(recharge.pglite.sustained),
  );

  const parse = await benchParseAndAuthenticate({ messages: scale(10_000, 2_000) });
  table.add(
    'parse + authenticate',
    `${parse.messages} messages of the fixture mix (${parse.fixtures} DKIM-signed samples) through the service's examination, runs of 200, one core, in process`,
    '≥ 2,000/s',
    `${parse.perSecond.toFixed(0)}/s (${(parse.authenticatedShare * 100).toFixed(0)}% of the mix are payments, DKIM-checked); the libraries alone on every message: mailparser ${parse.floor.mailparserUs.toFixed(0)} µs + mailauth ${parse.floor.mailauthUs.toFixed(0)} µs = at most ${parse.floor.perSecond.toFixed(0)}/s`,
  );

  const customers = scale(1000, 300);
  const allocation = {
    postgres: await benchAllocation({ kind: 'postgres', customers }),
    pglite: await benchAllocation({ kind: 'pglite', customers }),
  };
  const allocationText = (r: typeof allocation.postgres) =>
    `${r.distinctAmounts} distinct of ${r.created} created, ${r.rejected} refused, all in ${ms(r.wallMs)}; request → order ${percentiles(r.latency, ['p50', 'p99'])}; transaction (≤ 50 orders) ${percentiles(r.transaction, ['p50', 'p99'])}; one at a time with ${r.depth.pending} pending: ${percentiles(r.depth.latency, ['p50', 'p99'])}`;
  table.add(
    'pending orders of one amount',
    `${customers} customers \`/recharge 10\` at once, AMOUNT_OFFSET_MAX_FEN=999`,
    '1,000 distinct, no error, allocation p99 < 50 ms',
    allocationText(allocation.postgres),
    allocationText(allocation.pglite),
  );

  return `${table.markdown()}\n\n${METHOD_NOTES}`;
}

const MERCHANT_NOTES = `## How to read these figures

- **Webhook** posts go to the service as SmsForwarder sends them (form, signed); the mail route runs in
  the same run for comparison.
- **\`mapi.php\`** runs the EPay routes on the real HTTP server in the benchmark's process, each shop a
  light keep-alive HTTP/1.1 client (\`bench/keep-alive-client.ts\`) from its own loopback address, after
  ${50 * (WARM_UP_ORDERS_PER_SHOP + 1)} orders not counted (a running service is warm); *server* is the route
  handler's start to its answer written, *round trip* what the shop waits (PGlite runs in the same thread,
  so its queue shows there).
- **Checkout pages** each poll over a connection of their own, kept alive as a browser keeps it (the same
  light client).
- **Notifies** are timed from the credit's commit to the shop double's HTTP server receiving the GET.
- **Failover** and **catch-up with several instances** spawn \`dist/\` service processes on one PostgreSQL.
  They run as several instances must (Telegram by webhook, behind a round-robin proxy), one alone as well.
  *Started together*, each follower's start-up (about 2 s of CPU, read from /proc) shares this machine's two
  cores with the leader's catch-up; *already running* is what the followers cost once they are up.
- Nothing here is asserted; the tests never time anything.`;

/** The second ingestion route, the shops' and the operator app's parts, statements and several instances. */
async function merchantSection(): Promise<string> {
  const table = figuresTable();
  const hookPayments = scale(200, 30);
  const hook = {
    postgres: await benchForwarderLatency({ kind: 'postgres', payments: hookPayments }),
    pglite: await benchForwarderLatency({ kind: 'pglite', payments: hookPayments }),
  };
  table.add(
    'webhook request → credit message',
    `${hookPayments} sequential SmsForwarder posts (default form), request sent → message at the double`,
    'p50 < 30 ms, p99 < 100 ms',
    `${percentiles(hook.postgres.webhook)}; \`200 ok\` (committed) ${percentiles(hook.postgres.reply, ['p50', 'p99'])}`,
    `${percentiles(hook.pglite.webhook)}; \`200 ok\` (committed) ${percentiles(hook.pglite.reply, ['p50', 'p99'])}`,
  );
  table.add(
    'mail route in the same run',
    `${hookPayments} mails interleaved with the posts: APPEND done → message; overhead over a bare IDLE client`,
    'shown',
    `${percentiles(hook.postgres.mail, ['p50', 'p99'])}; overhead ${percentiles(hook.postgres.mailOverhead, ['p50', 'p99'])}`,
    `${percentiles(hook.pglite.mail, ['p50', 'p99'])}; overhead ${percentiles(hook.pglite.mailOverhead, ['p50', 'p99'])}`,
  );
  const hookBurst = scale(1000, 300);
  const burst = {
    postgres: await benchForwarderThroughput({ kind: 'postgres', notifications: hookBurst, clients: 20 }),
    pglite: await benchForwarderThroughput({ kind: 'pglite', notifications: hookBurst, clients: 20 }),
  };
  const burstText = (r: typeof burst.postgres) =>
    `${r.perSecond.toFixed(0)}/s (${ms(r.wallMs)}), ${r.ok} answered ok, ${r.credits} credits for ${r.distinctOrders} orders, ${r.paid} paid`;
  table.add(
    'webhook notifications, 20 concurrent clients',
    `${hookBurst} posts against as many pending orders`,
    'each credited exactly once, rate shown',
    burstText(burst.postgres),
    burstText(burst.pglite),
  );

  const pages = scale(500, 100);
  const checkout = {
    postgres: await benchCheckoutStatus({ kind: 'postgres', pages, seconds: scale(20, 5) }),
    pglite: await benchCheckoutStatus({ kind: 'pglite', pages, seconds: scale(20, 5) }),
  };
  const checkoutText = (r: typeof checkout.postgres) =>
    `${r.requestsPerSecond.toFixed(0)} requests/s, ${r.failures} failed; ${percentiles(r.latency)}`;
  table.add(
    'open checkout pages',
    `${pages} pages poll \`GET /pay/<trade_no>/status\` every 250 ms`,
    'p99 < 50 ms: "paid" within a second of the credit',
    checkoutText(checkout.postgres),
    checkoutText(checkout.pglite),
  );

  const shopOrders = scale(20, 5);
  const epay = {
    postgres: await benchEpayCreate({ kind: 'postgres', shops: 50, ordersPerShop: shopOrders }),
    pglite: await benchEpayCreate({ kind: 'pglite', shops: 50, ordersPerShop: shopOrders }),
  };
  const epayText = (r: EpayFigures) =>
    `server ${percentiles(r.server)}; round trip ${percentiles(r.roundTrip, ['p50', 'p99'])}; ${r.orders} orders, ${Math.round(r.orders / (r.wallMs / 1000))} orders/s`;
  table.add(
    '`mapi.php` create → JSON',
    `50 shops, each sending its next order the moment it has its answer, ${50 * shopOrders} orders`,
    'p99 < 20 ms (server)',
    epayText(epay.postgres),
    epayText(epay.pglite),
  );
  const paceMs = 200;
  const paced = {
    postgres: await benchEpayCreate({ kind: 'postgres', shops: 50, ordersPerShop: shopOrders, paceMs }),
    pglite: await benchEpayCreate({ kind: 'pglite', shops: 50, ordersPerShop: shopOrders, paceMs }),
  };
  table.add(
    '`mapi.php` create → JSON, paced',
    `50 shops, each sending an order every ${paceMs} ms (${(50 * 1000) / paceMs} orders/s offered), ${50 * shopOrders} orders`,
    'shown',
    epayText(paced.postgres),
    epayText(paced.pglite),
  );

  const debits = scale(200, 30);
  const debit = {
    postgres: await benchDebits({ kind: 'postgres', debits }),
    pglite: await benchDebits({ kind: 'pglite', debits }),
  };
  const debitText = (r: typeof debit.postgres) =>
    `one at a time ${percentiles(r.sequential, ['p50', 'p99'])}; ${debits} customers at once ${percentiles(r.spread, ['p50', 'p99'])} (all in ${ms(r.spread.wallMs)}); one customer ${debits} at once: all in ${ms(r.oneCustomer.wallMs)}`;
  table.add(
    'balance API debit',
    `POST /api/v1/customers/<id>/debits over HTTP, ${debits} debits each way`,
    'shown',
    debitText(debit.postgres),
    debitText(debit.pglite),
  );

  const statementPayments = scale(10_000, 2_000);
  const statementText = (r: StatementFigures) =>
    `${ms(r.reconcileMs)}, peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.baselineRssMb.toFixed(0)} MB before); ${r.matched} matched, ${r.missed} missed, ${r.unconfirmed} unconfirmed`;
  table.add(
    'statement reconciliation',
    `a ${statementPayments}-row Alipay CSV against ${statementPayments} recorded payments, read and reconciled in a child process from dist/`,
    '< 5 s, peak RSS < 200 MB',
    statementText(await benchStatements({ kind: 'postgres', payments: statementPayments })),
    statementText(await benchStatements({ kind: 'pglite', payments: statementPayments })),
  );

  const notifyPayments = scale(100, 20);
  const notify = {
    postgres: await benchCreditToNotify({ kind: 'postgres', payments: notifyPayments }),
    pglite: await benchCreditToNotify({ kind: 'pglite', payments: notifyPayments }),
  };
  const notifyText = (r: typeof notify.postgres) =>
    `${percentiles(r.total, ['p50', 'p95'])}, max ${ms(r.total.max)}; paid → try starts p50 ${ms(r.toTry.p50)}`;
  table.add(
    'credit → notify received by the shop',
    `${notifyPayments} shop orders paid one after another; the credit's commit → the shop's server has the GET`,
    'p50 < 50 ms',
    notifyText(notify.postgres),
    notifyText(notify.pglite),
  );
  const notifies = scale(1_000, 200);
  const failing = {
    postgres: await benchFailingShop({ kind: 'postgres', notifies }),
    pglite: await benchFailingShop({ kind: 'pglite', notifies }),
  };
  const failingText = (r: typeof failing.postgres) =>
    `${r.delivered} delivered, ${r.exactlyOnce} answered \`success\` exactly once, ${r.fourTries} in exactly 4 tries, ${r.early} tries early; ${ms(r.wallMs)}; retry lateness p50 ${ms(r.lateness.p50)}`;
  table.add(
    'notifies to a shop failing its first 3 tries',
    `${notifies} notifies, schedule compressed to 0.5 / 1 / 2 s, ≤ 4 requests to the host at once`,
    'all delivered, each once after its `success`, tries on schedule',
    failingText(failing.postgres),
    failingText(failing.pglite),
  );

  const failover = await benchFailover(scale(10, 3));
  const lock = summarise(failover.lockMs);
  const watched = summarise(failover.watchingMs);
  table.add(
    'leader failover (kill -9)',
    `3 instances on one PostgreSQL, the leader killed ${lock.n} times; until another holds the lock / watches the mailbox`,
    'within 15 s',
    `lock p50 ${ms(lock.p50)}, max ${ms(lock.max)}; mailbox watched p50 ${ms(watched.p50)}, max ${ms(watched.max)}`,
  );
  const backlog = scale(3000, 300);
  const runs = scale(3, 1);
  for (const start of ['cold', 'running'] as const) {
    const [one, three] = await catchUpOneAndThree(start, backlog, runs);
    table.add(
      `catch-up, 1 vs 3 instances (${start === 'cold' ? 'started together' : 'already running'})`,
      `${backlog} notifications ${CATCH_UP_SETUP[start]}; median of ${runs} runs each, taken in turn`,
      'the second not slower',
      `${catchUpText(1, backlog, one, start)}; ${catchUpText(3, backlog, three, start)}`,
    );
  }

  return `${table.markdown()}\n\n${MERCHANT_NOTES}`;
}

const CATCH_UP_SETUP = {
  cold: 'appended while nothing runs, then the instances started; from the first credit, and from the spawn, to the last',
  running:
    'moved into INBOX at once (one IMAP MOVE) while the instances run and the leader watches; from the first credit, and from the move, to the last',
};

/** Runs of one setup vary by a fifth: `runs` of each, taken in turn, and the median (by crediting time) of each. */
async function catchUpOneAndThree(
  start: CatchUpStart,
  backlog: number,
  runs: number,
): Promise<[CatchUpFigures, CatchUpFigures]> {
  const [ones, threes]: [CatchUpFigures[], CatchUpFigures[]] = [[], []];
  for (let run = 0; run < runs; run++) {
    ones.push(await benchCatchUpWith(1, backlog, start));
    threes.push(await benchCatchUpWith(3, backlog, start));
  }
  const median = (figures: CatchUpFigures[]) =>
    [...figures].sort((a, b) => a.creditingSeconds - b.creditingSeconds)[Math.floor(figures.length / 2)];
  const [one, three] = [median(ones), median(threes)];
  if (!one || !three) throw new Error('no catch-up run');
  return [one, three];
}

const LIFTOFF = '--liftoff-only';

const MEMORY_NOTES = `### How to read these figures

- Each figure is the resident memory of \`npm start\`'s process (its command line read from package.json), as
  the kernel counts it: VmHWM (the peak so far) or VmRSS (now) from /proc. PGlite's memory is WebAssembly memory,
  outside the V8 heap limit, and never given back to the system while the process lives.
- **First start**: a fresh database (an empty DATA_DIR, or a new PostgreSQL database), until the service has
  started and its mailbox is connected. On PGlite the database is created by a short-lived child process
  (\`initdb\`): its own peak, which it reports as it exits, is a real peak of the machine's memory for those
  seconds, even though the service never holds it. Have that much free for the first start.
- **Steady state**: the first-started service after idling with its mailbox connected and nothing to do.
- **Later start**: the same database again, until started and connected; the time is from process start.
- **Catch-up**: as in the main table, with fewer notifications.
- **Without ${LIFTOFF}**: the same, with the V8 flag taken out of \`npm start\`'s command: V8 then also compiles
  PGlite's WebAssembly with its optimising tier, which costs memory and start-up time.
- **Start-up**: \`npm start\` runs \`prestart\`, then the service. *Before* is the old prestart, \`npm run build\`
  (tsc, every time); *after* is \`npm run prestart\` with dist/ up to date (a modification-time check; a stale
  dist/ is built as before). Wall time depends on the machine's load; CPU time (user + system, children
  included) much less. The totals add the later start's time to "mailpay started".`;

/** Memory (issue 16.4) and start-up time (16.8). */
async function memorySection(): Promise<string> {
  const memory = {
    postgres: await benchMemory({
      kind: 'postgres',
      idleSeconds: scale(60, 15),
      catchUpNotifications: scale(2000, 500),
    }),
    pglite: await benchMemory({
      kind: 'pglite',
      idleSeconds: scale(60, 15),
      catchUpNotifications: scale(2000, 500),
    }),
    pgliteWithoutLiftoff: await benchMemory({
      kind: 'pglite',
      idleSeconds: scale(60, 15),
      catchUpNotifications: scale(2000, 500),
      leaveOut: [LIFTOFF],
    }),
  };
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  const table = figuresTable();
  const rowsOf = (label: string, figures: { postgres?: MemoryFigures; pglite: MemoryFigures }) => {
    const each = (text: (m: MemoryFigures) => string): [string, string] => [
      figures.postgres ? text(figures.postgres) : '—',
      text(figures.pglite),
    ];
    table.add(
      `first start, fresh database${label}`,
      'service peak (VmHWM) until started and connected',
      '< 256 MB',
      ...each((m) => mb(m.firstStartPeakMb)),
    );
    table.add(
      `initdb child${label}`,
      'its own peak, while it runs (seconds), before the service opens the database',
      'shown',
      '— (no initdb)',
      `${mb(figures.pglite.initdbChildPeakMb ?? Number.NaN)} for ${figures.pglite.initdbSeconds?.toFixed(1)} s`,
    );
    table.add(
      `steady state${label}`,
      `VmRSS after ${scale(60, 15)} s idle after the first start`,
      '< 256 MB',
      ...each((m) => mb(m.steadyRssMb)),
    );
    table.add(
      `later start${label}`,
      'service peak until started and connected (time from process start)',
      'shown',
      ...each((m) => `${mb(m.laterStartPeakMb)} (${m.laterStartSeconds.toFixed(1)} s)`),
    );
    table.add(
      `catch-up peak${label}`,
      `${scale(2000, 500)} notifications appended while stopped; VmHWM until the last credit`,
      'shown',
      ...each((m) => `${mb(m.catchUpPeakMb)} (${m.catchUpPerSecond.toFixed(0)}/s incl. start-up)`),
    );
  };
  rowsOf('', memory);
  rowsOf(`, without ${LIFTOFF}`, { pglite: memory.pgliteWithoutLiftoff });

  const prestart = await benchPrestart({ runs: scale(3, 1) });
  const seconds = (value: number) => `${value.toFixed(2)} s`;
  const cost = (c: { wallSeconds: number; cpuSeconds: number }) =>
    `${seconds(c.wallSeconds)} (CPU ${seconds(c.cpuSeconds)})`;
  const startUp = figuresTable();
  startUp.add(
    'prestart, before: `npm run build`',
    `tsc on every start; median of ${prestart.buildEveryTime.runs}`,
    'shown',
    cost(prestart.buildEveryTime),
  );
  startUp.add(
    'prestart, after: `npm run prestart`, dist/ up to date',
    `modification times against dist/.build-stamp; median of ${prestart.skipWhenFresh.runs}`,
    'no build',
    cost(prestart.skipWhenFresh),
  );
  const total = (prestartSeconds: number, m: MemoryFigures) => seconds(prestartSeconds + m.laterStartSeconds);
  startUp.add(
    '`npm start` → "mailpay started", before',
    'old prestart + a later start of the service',
    'shown',
    total(prestart.buildEveryTime.wallSeconds, memory.postgres),
    total(prestart.buildEveryTime.wallSeconds, memory.pglite),
  );
  startUp.add(
    '`npm start` → "mailpay started", after',
    'new prestart (nothing to build) + a later start of the service',
    'shown',
    total(prestart.skipWhenFresh.wallSeconds, memory.postgres),
    total(prestart.skipWhenFresh.wallSeconds, memory.pglite),
  );
  return `${table.markdown()}\n\n${startUp.markdown()}\n\n${MEMORY_NOTES}`;
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL on 127.0.0.1, Dovecot 2.3`;
const command =
  process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench';
const stamp = `Measured by \`${command}\` on ${startedAt.toISOString().slice(0, 10)}.\n\nMachine: ${machine}.`;

// Each section sits between markers, so a run of one section (--only) keeps the others as they were.
const HEADINGS: Record<string, string> = {
  merchant: '## Webhook, shops, balance API, statements, several instances\n\n',
  memory: '## Memory and start-up\n\n',
};
const SECTIONS = { main: mainSection, merchant: merchantSection, memory: memorySection };
const previous = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
const blocks: string[] = [];
for (const [name, measure] of Object.entries(SECTIONS)) {
  const kept = new RegExp(`<!-- ${name} -->\n[\\s\\S]*?\n<!-- /${name} -->`).exec(previous)?.[0];
  if (only === undefined || only === name) {
    const heading = HEADINGS[name] ?? '';
    const text = `${heading}${stamp}\n\n${await measure()}`;
    blocks.push(`<!-- ${name} -->\n${text}\n<!-- /${name} -->`);
    console.log(`\n${text}`);
  } else if (kept) {
    blocks.push(kept);
  }
}
writeFileSync('BENCHMARKS.md', `# Benchmarks\n\n${blocks.join('\n\n')}\n`);
console.log('\nwritten to BENCHMARKS.md');
