// A fresh database, a DNS responder serving the forwarder's (qq.com) and Alipay's test keys, and the ingest
// use case wired to them: for tests that feed messages straight to ingestion and read the rows it wrote.
import { type SQL, sql } from 'drizzle-orm';
import { ORDER_NUMBER_ALPHABET } from '../../src/modules/orders/order-number.ts';
import type { Config } from '../../src/shared/config/config.ts';
import { type Database, openDatabase } from '../../src/shared/db/database.ts';
import { createDkimKey, type DkimKey } from './dkim.ts';
import { type DnsResponder, startDnsResponder } from './dns-responder.ts';
import { ingestConfig } from './ingest.ts';
import { insertPendingOrders } from './orders.ts';
import { createTestDatabase, type DatabaseKind } from './test-database.ts';

/** Where the payee's receipts are addressed (the shared Alipay receipt fixtures' To). */
export const PAYEE = 'pay-inbox@example.com';

export interface PaymentRecord {
  id: number;
  status: string;
  review_reason: string | null;
  auth_result: string;
  auth_detail: string | null;
  message_key: string;
  order_id: number | null;
}

export interface IngestFixture {
  database: Database;
  dns: DnsResponder;
  config: Config;
  /** The forwarder's key (d=qq.com) and Alipay's (d=alipay.com), both published. */
  keys: { forwarder: DkimKey; alipay: DkimKey };
  /** A pending order of its own customer; its number is `orderNo` when given. */
  pendingOrder(payableFen: number, orderNo?: string): Promise<string>;
  payments(where: SQL): Promise<PaymentRecord[]>;
  dispose(): Promise<void>;
}

export async function openIngestFixture(
  kind: DatabaseKind,
  overrides: Record<string, string> = {},
): Promise<IngestFixture> {
  const [test, dns] = await Promise.all([createTestDatabase(kind), startDnsResponder()]);
  const keys = { forwarder: createDkimKey('qq.com', 'mailpay'), alipay: createDkimKey('alipay.com', 'sel1') };
  for (const key of Object.values(keys)) dns.setTxt(key.dnsName, key.txt);
  const database = await openDatabase({ url: test.env.DATABASE_URL, dataDir: test.env.DATA_DIR });
  let seq = 0;
  return {
    database,
    dns,
    config: ingestConfig(dns, { PAYEE_ADDRESSES: PAYEE, ...overrides }),
    keys,
    async pendingOrder(payableFen, orderNo) {
      const n = ++seq;
      const number =
        orderNo ??
        `TRUST${[961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(n / unit) % 31]).join('')}`;
      await insertPendingOrders(database.db, [{ orderNo: number, payableFen }], {
        firstCustomerId: 5_000 + n,
      });
      return number;
    },
    payments: (where) =>
      database.rows<PaymentRecord>(
        sql`select id, status, review_reason, auth_result, auth_detail, message_key, order_id
            from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where ${where} order by id`,
      ),
    async dispose() {
      await database.close();
      await dns.close();
      await test.drop();
    },
  };
}
