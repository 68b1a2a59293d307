// Claiming due HTTP deliveries: by lease (lease_until), `FOR UPDATE SKIP LOCKED`, so two instances never hold one
// delivery at once and one that a crashed instance held is claimed again once its lease has passed. The claim
// respects the per-host limit, counting what this instance has in flight, so one slow shop's backlog never takes
// the places of other shops' notifies.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../shared/db/database.ts';
import type { WebDeliveryKind } from '../../shared/db/schema.ts';

export interface ClaimedDelivery {
  id: number;
  kind: WebDeliveryKind;
  orderId: number | null;
  eventId: string | null;
  body: unknown;
  /** Tries made before this one. */
  attempts: number;
  /** Where it goes (`host:port` of the notify URL, `events` for events): the unit of the per-host limit. */
  host: string;
  /** The claim's lease: results are recorded only while it still holds. */
  leaseUntil: Date;
}

export interface ClaimRequest {
  now: Date;
  limit: number;
  leaseMs: number;
  perHost: number;
  /** Deliveries this instance has in flight, by host. */
  busy: ReadonlyMap<string, number>;
}

/** Due deliveries looked at in one claim, oldest first: bounds the claim's work under a large backlog. */
const SCAN_LIMIT = 5_000;

/** The host of a delivery, as SQL: the authority of the shop's notify URL, lower-cased; `events` for events. */
const HOST = sql`case when d.kind = 'event' then 'events'
  else lower(substring(s.notify_url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#]*)')) end`;

export async function claimDueDeliveries(db: Db, request: ClaimRequest): Promise<ClaimedDelivery[]> {
  if (request.limit <= 0) return [];
  const now = request.now.toISOString();
  const leaseUntil = new Date(request.now.getTime() + request.leaseMs);
  const busy = JSON.stringify(Object.fromEntries(request.busy));
  const due: SQL = sql`d.status = 'pending' and d.next_attempt_at <= ${now}::timestamptz
    and (d.lease_until is null or d.lease_until <= ${now}::timestamptz)`;
  // First the candidates, without locks: each host's oldest due deliveries up to its free places.
  const candidates = await queryRows<{ id: unknown; host: string | null }>(
    db,
    sql`select id, host from (
          select d.id, d.next_attempt_at, ${HOST} as host,
            row_number() over (partition by ${HOST} order by d.next_attempt_at, d.id) as rank
          from (select * from web_deliveries d where ${due} order by d.next_attempt_at, d.id limit ${SCAN_LIMIT}) d
          left join shop_orders s on s.order_id = d.order_id
        ) c
        where c.rank <= ${request.perHost} - coalesce((${busy}::jsonb ->> c.host)::int, 0)
        order by c.next_attempt_at, c.id
        limit ${request.limit}`,
  );
  if (candidates.length === 0) return [];
  const hostOf = new Map(candidates.map((c) => [Number(c.id), c.host ?? '']));
  // Then the claim: those still due and not locked by another instance's claim right now.
  const ids = sql.raw([...hostOf.keys()].join(','));
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update web_deliveries w set lease_until = ${leaseUntil.toISOString()}::timestamptz
        where w.id in (select d.id from web_deliveries d where d.id in (${ids}) and ${due} for update skip locked)
        returning w.id, w.kind, w.order_id, w.event_id, w.body, w.attempts`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as WebDeliveryKind,
    orderId: row.order_id === null ? null : Number(row.order_id),
    eventId: (row.event_id as string | null) ?? null,
    body: row.body,
    attempts: Number(row.attempts),
    host: hostOf.get(Number(row.id)) ?? '',
    leaseUntil,
  }));
}
