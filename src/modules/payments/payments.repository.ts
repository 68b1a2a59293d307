// Payments: one row per notification message, recorded once whatever route or retry brings it again — the
// message (source, key, metadata) in `messages`, what it said and became in `payments`. The queries are
// top-level functions of `db`; the repository binds them, so each stays small on its own.
import { and, eq, getTableColumns, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { messages, payments } from '../../shared/db/schema.ts';
import type { Payment, PaymentStatus } from './payment.models.ts';

/** A payment with its message's source and key (what duplicate detection compares) and arrival time. */
export type PaymentRow = typeof payments.$inferSelect & {
  source: string;
  messageKey: string;
  receivedAt: Date | null;
};
/** A payment to record, with the message it came from; the message's trust is the payment's authentication. */
export type NewPayment = Omit<typeof payments.$inferInsert, 'messageId'> & {
  message: Omit<typeof messages.$inferInsert, 'id' | 'trusted'>;
};
export interface PaymentSettlement {
  status: PaymentStatus;
  orderId?: number | null;
  reviewReason?: string | null;
}

export function createPaymentsRepository({ db }: { db: Db }) {
  return {
    /**
     * Records the message; null when the same message or transaction was recorded before on the same side
     * of authentication (an unauthenticated row never shadows an authenticated one).
     */
    insertOnce: async (payment: NewPayment): Promise<PaymentRow | null> =>
      (await insertAll(db, [payment]))[0] ?? null,
    insertAll: (rows: readonly NewPayment[]) => insertAll(db, rows),
    withFingerprints: (fingerprints: readonly string[]) => withFingerprints(db, fingerprints),
    settle: (id: number, outcome: PaymentSettlement) => settleAll(db, [{ id, ...outcome }]),
    settleAll: (outcomes: ReadonlyArray<{ id: number } & PaymentSettlement>) => settleAll(db, outcomes),
    setAuthentication: (id: number, auth: { authResult: string; authDetail: string }) =>
      setAuthentication(db, id, auth),
    countByStatus: () => countByStatus(db),
    creditedSibling: (payment: Pick<Payment, 'id' | 'provider' | 'transactionId'>) =>
      creditedSibling(db, payment),
    findByOrder: (orderId: number): Promise<PaymentRow[]> =>
      db.select(withMessage).from(payments).innerJoin(messages, joined).where(eq(payments.orderId, orderId)),
  };
}

/** The columns of a payment read with its message (source, key, arrival). */
export const withMessage = {
  ...getTableColumns(payments),
  source: messages.source,
  messageKey: messages.sourceKey,
  receivedAt: messages.receivedAt,
};
export const joined = eq(messages.id, payments.messageId);
const trustKey = (m: { source: string; sourceKey: string; trusted: boolean }) =>
  `${m.source}:${m.trusted}:${m.sourceKey}`;

/**
 * Records the messages, then their payments; returns the payments it inserted. A message recorded before —
 * or earlier in the same list — on the same side of authentication is skipped, and so is a payment whose
 * transaction was: its message stays recorded, as seen.
 */
async function insertAll(db: Db, records: readonly NewPayment[]): Promise<PaymentRow[]> {
  if (records.length === 0) return [];
  const wanted = records.map((r) => ({ ...r.message, trusted: r.authResult === 'pass' }));
  const inserted = await db.insert(messages).values(wanted).onConflictDoNothing().returning({
    id: messages.id,
    source: messages.source,
    sourceKey: messages.sourceKey,
    trusted: messages.trusted,
    receivedAt: messages.receivedAt,
  });
  const idOf = new Map(inserted.map((m) => [trustKey(m), m.id]));
  const messageOf = new Map(inserted.map((m) => [m.id, m]));
  const rows = records.flatMap(({ message, ...payment }, i) => {
    const key = trustKey({ ...message, trusted: wanted[i]?.trusted ?? false });
    const messageId = idOf.get(key);
    // The first record with a key takes the message; a later one in the list is a duplicate.
    idOf.delete(key);
    return messageId === undefined ? [] : [{ ...payment, messageId }];
  });
  if (rows.length === 0) return [];
  const saved = await db.insert(payments).values(rows).onConflictDoNothing().returning();
  return saved.map((row) => {
    const message = messageOf.get(row.messageId);
    return { ...row, ...messageFields(message) };
  });
}

/**
 * The authenticated messages already recorded with any of these fingerprints (to spot a forwarder's
 * repeats); an unauthenticated one never makes a genuine notification a repeat.
 */
async function withFingerprints(
  db: Db,
  fingerprints: readonly string[],
): Promise<Array<{ fingerprint: string; messageKey: string }>> {
  if (fingerprints.length === 0) return [];
  const rows = await db
    .select({ fingerprint: payments.fingerprint, messageKey: messages.sourceKey })
    .from(payments)
    .innerJoin(messages, joined)
    .where(and(inArray(payments.fingerprint, [...fingerprints]), eq(payments.authResult, 'pass')));
  return rows.flatMap((row) =>
    row.fingerprint === null ? [] : [{ fingerprint: row.fingerprint, messageKey: row.messageKey }],
  );
}

/** Settles several payments in one statement. */
async function settleAll(db: Db, outcomes: ReadonlyArray<{ id: number } & PaymentSettlement>): Promise<void> {
  if (outcomes.length === 0) return;
  const byId = (value: (outcome: (typeof outcomes)[number]) => unknown, type: 'text' | 'bigint') =>
    sql`case ${payments.id} ${sql.join(
      outcomes.map((o) => sql`when ${o.id}::bigint then ${value(o)}::${sql.raw(type)}`),
      sql` `,
    )} end`;
  await db
    .update(payments)
    .set({
      status: byId((o) => o.status, 'text'),
      orderId: byId((o) => o.orderId ?? null, 'bigint'),
      reviewReason: byId((o) => o.reviewReason ?? null, 'text'),
    })
    .where(
      inArray(
        payments.id,
        outcomes.map((o) => o.id),
      ),
    );
}

/**
 * Writes the outcome of a later authentication try of a held payment, to its message's trust too; returns
 * the row as it now is.
 */
async function setAuthentication(
  db: Db,
  id: number,
  auth: { authResult: string; authDetail: string },
): Promise<PaymentRow | null> {
  const [row] = await db.update(payments).set(auth).where(eq(payments.id, id)).returning();
  if (!row) return null;
  const [message] = await db
    .update(messages)
    .set({ trusted: auth.authResult === 'pass' })
    .where(eq(messages.id, row.messageId))
    .returning({ source: messages.source, sourceKey: messages.sourceKey, receivedAt: messages.receivedAt });
  return { ...row, ...messageFields(message) };
}

async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: payments.status, n: sql<number>`count(*)::int` })
    .from(payments)
    .groupBy(payments.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

function messageFields(
  message: { source: string; sourceKey: string; receivedAt: Date | null } | undefined,
): Pick<PaymentRow, 'source' | 'messageKey' | 'receivedAt'> {
  return {
    source: message?.source ?? '',
    messageKey: message?.sourceKey ?? '',
    receivedAt: message?.receivedAt ?? null,
  };
}

/**
 * Another payment of the same provider transaction that is credited (matched), if any: a copy in review
 * (forged, or a statement's row for a notification that came after all) is the same money.
 */
async function creditedSibling(
  db: Db,
  payment: Pick<Payment, 'id' | 'provider' | 'transactionId'>,
): Promise<number | null> {
  if (payment.transactionId === null) return null;
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        payment.provider === null ? isNull(payments.provider) : eq(payments.provider, payment.provider),
        eq(payments.transactionId, payment.transactionId),
        eq(payments.status, 'matched'),
        ne(payments.id, payment.id),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}
