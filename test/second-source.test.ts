// A second ingestion source needs one driver file and one line of wiring: a test-only source hands
// notifications to record-notification and gets them credited exactly once, on both databases.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordNotification } from '../src/modules/ingestion/record-notification.ts';
import { reviewSettingsOf } from '../src/modules/review/review-settings.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { type IngestFixture, openIngestFixture } from './support/ingest-fixture.ts';
import { ledgerByOrder } from './support/orders.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { createTestSource } from './support/test-source.ts';

describe.each(DATABASE_KINDS)('a second ingestion source on %s', (kind) => {
  let fx: IngestFixture;
  let acknowledged: string[];
  let refuseAcknowledging = false;
  let deliver: ReturnType<typeof createTestSource>;

  beforeAll(async () => {
    fx = await openIngestFixture(kind);
    acknowledged = [];
    // The one line of wiring.
    deliver = createTestSource({
      recordNotifications: createRecordNotification({
        transaction: transactionOf(fx.database.db),
        review: reviewSettingsOf(fx.config),
        clock: { now: () => new Date() },
        onQueued: () => {},
      }),
      acknowledge: async (_store, requestId, outcome) => {
        if (refuseAcknowledging) throw new Error('acknowledging failed');
        acknowledged.push(`${requestId}:${outcome.kind}`);
      },
    });
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('credits a notification from the source once, and a repeat of its key is a duplicate', async () => {
    const orderNo = await fx.pendingOrder(4_321);
    const delivery = { requestId: 'req-1', amountFen: 4_321, memo: orderNo };
    expect(await deliver(delivery)).toMatchObject({ kind: 'credited', orderNo });
    expect(await deliver(delivery)).toEqual({ kind: 'duplicate' });
    expect((await ledgerByOrder(fx.database.rows)).get(orderNo)).toEqual({ n: 1, fen: 4_321 });
    expect(acknowledged).toEqual(['req-1:credited', 'req-1:duplicate']);
    expect(
      await fx.database.rows(sql`select source, source_key, metadata from messages where source = 'test'`),
    ).toEqual([{ source: 'test', source_key: 'req-1', metadata: { requestId: 'req-1' } }]);
  });

  it('keeps its keys apart from mail: a mail Message-ID equal to a request id is no duplicate', async () => {
    const orderNo = await fx.pendingOrder(4_322);
    await fx.database.rows(
      sql`insert into messages (source, source_key, trusted) values ('mail', 'req-2', true)`,
    );
    expect(await deliver({ requestId: 'req-2', amountFen: 4_322, memo: orderNo })).toMatchObject({
      kind: 'credited',
      orderNo,
    });
  });

  it('records nothing when its checkpoint fails: recording and checkpoint commit together', async () => {
    const orderNo = await fx.pendingOrder(4_323);
    refuseAcknowledging = true;
    try {
      await expect(deliver({ requestId: 'req-3', amountFen: 4_323, memo: orderNo })).rejects.toThrow(
        'acknowledging failed',
      );
    } finally {
      refuseAcknowledging = false;
    }
    expect((await ledgerByOrder(fx.database.rows)).get(orderNo)).toBeUndefined();
    expect(await fx.database.rows(sql`select id from messages where source_key = 'req-3'`)).toEqual([]);
    // Delivered again, it is credited: nothing of the failed try was kept.
    expect(await deliver({ requestId: 'req-3', amountFen: 4_323, memo: orderNo })).toMatchObject({
      kind: 'credited',
    });
  });
});
