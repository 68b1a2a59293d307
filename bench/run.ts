// `npm run bench`: runs every benchmark against a private Dovecot, the Bot API double, PostgreSQL and PGlite,
// prints the figures and writes BENCHMARKS.md. It measures; it asserts nothing.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchAllocation } from './allocation.bench.ts';
import { benchCatchUp } from './catch-up.bench.ts';
import { benchIdleLatency, benchPollingLatency } from './latency.bench.ts';
import { benchParseAndAuthenticate } from './parse-auth.bench.ts';
import { benchRecharge, type RechargeFigures } from './recharge.bench.ts';
import { ms, type Summary } from './stats.ts';

const quick = process.argv.includes('--quick');
const scale = (full: number, small: number) => (quick ? small : full);
const rows: string[][] = [];
const add = (figure: string, how: string, goal: string, postgres: string, pglite = '—') => {
  rows.push([figure, how, goal, postgres, pglite]);
  console.log(`${figure}: postgres ${postgres} | pglite ${pglite} (goal ${goal})`);
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
const payments = scale(200, 30);

const idle = {
  postgres: await benchIdleLatency({ kind: 'postgres', payments }),
  pglite: await benchIdleLatency({ kind: 'pglite', payments }),
};
add(
  'arrival → credit message (IDLE)',
  `${payments} sequential payments, APPEND done → message at the double`,
  'shown',
  percentiles(idle.postgres.service),
  percentiles(idle.pglite.service),
);
add(
  'floor: bare imapflow IDLE client',
  'same run, APPEND done → its `exists` event',
  'shown',
  percentiles(idle.postgres.floor),
  percentiles(idle.pglite.floor),
);
add(
  'mailpay overhead (the two above, pair by pair)',
  'same run',
  'p50 < 50 ms, p99 < 200 ms',
  percentiles(idle.postgres.overhead, ['p50', 'p99']),
  percentiles(idle.pglite.overhead, ['p50', 'p99']),
);

const pollSeconds = 60;
const polling = await benchPollingLatency({ kind: 'postgres', payments: scale(40, 10), pollSeconds });
const ratio = polling.service.p50 / idle.postgres.service.p50;
add(
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
add(
  'catch-up after downtime',
  `${notifications} notifications appended while stopped; start (\`npm start\`'s process) until the last credit`,
  '≥ 500/s, peak RSS < 200 MB, each credited once',
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
add(
  '`/recharge` → photo, bursts',
  `50 customers at once, again once all are answered, ${rechargeOrders} orders; \`npm start\`'s process`,
  'p99 < 100 ms (server)',
  rechargeText(recharge.postgres.bursts),
  rechargeText(recharge.pglite.bursts),
);
add(
  '`/recharge` → photo, sustained',
  `50 customers, each asking again the moment it is answered, ${rechargeOrders} orders`,
  'p99 < 100 ms (server)',
  rechargeText(recharge.postgres.sustained),
  rechargeText(recharge.pglite.sustained),
);

const parse = await benchParseAndAuthenticate({ messages: scale(10_000, 2_000) });
add(
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
add(
  'pending orders of one amount',
  `${customers} customers \`/recharge 10\` at once, AMOUNT_OFFSET_MAX_FEN=999`,
  '1,000 distinct, no error, allocation p99 < 50 ms',
  allocationText(allocation.postgres),
  allocationText(allocation.pglite),
);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL on 127.0.0.1, Dovecot 2.3`;
const table = [
  '| figure | how | goal | PostgreSQL | PGlite |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
].join('\n');
writeFileSync(
  'BENCHMARKS.md',
  `# Benchmarks\n\nMeasured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${startedAt.toISOString().slice(0, 10)}.\n\nMachine: ${machine}.\n\n${table}\n\n${METHOD_NOTES}\n`,
);
console.log(`\n${table}\n\nwritten to BENCHMARKS.md`);
