// Use case: one message from the mailbox → recorded once, and credited, sent to review, or ignored.
import { createHash } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import type { OrderRow } from '../adapters/db/orders.repository.ts';
import type { NewPayment } from '../adapters/db/payments.repository.ts';
import { inTransaction, type Store } from '../adapters/db/store.ts';
import { isTransientDatabaseError } from '../adapters/db/transient-error.ts';
import type { AuthenticateMail, MailAuthentication } from '../adapters/mail/authenticate-mail.ts';
import { type DecodedMail, decodeMail } from '../adapters/mail/decode-mail.ts';
import type { Config } from '../config.ts';
import { type CandidateOrder, type MatchOutcome, matchPayment } from '../domain/matching.ts';
import {
  notificationFingerprint,
  type PaymentNotification,
  parseNotification,
} from '../domain/notification/parse-notification.ts';
import type { NotificationRule } from '../domain/notification/rules.ts';
import { orderNumberCandidates } from '../domain/order-number.ts';
import { assertNever } from '../domain/result.ts';
import { languageOf, textsFor } from '../domain/texts.ts';
import { trustedSenderEntry } from '../domain/trusted-senders.ts';
import { creditOrder } from './credit-order.ts';
import type { Clock, Logger } from './ports.ts';
import { cleanEnvelope, recordFailedMessage } from './record-failed-message.ts';
import { queueReviewCards } from './review-card.ts';

export interface IncomingMessage {
  mailbox: string;
  uidValidity: bigint;
  uid: number;
  size: number;
  /** Null when the message is larger than MAIL_MAX_BYTES: it is recorded from its envelope, never parsed. */
  raw: Buffer | null;
  envelope: { messageId: string | null; subject: string; from: string };
  /** The server's arrival time (INTERNALDATE). */
  receivedAt: Date | null;
}

export type IngestOutcome =
  | { kind: 'credited'; paymentId: number; orderNo: string }
  | { kind: 'review'; paymentId: number; reason: string }
  | { kind: 'ignored'; paymentId: number }
  | { kind: 'failed'; paymentId: number; reason: string }
  | { kind: 'duplicate' };

/** What examining a message found, to be recorded. */
type Examined =
  | { kind: 'failure'; payment: Omit<NewPayment, 'authResult' | 'status'>; reason: string; snippet?: string }
  | { kind: 'ignored'; payment: NewPayment }
  | {
      kind: 'payment';
      described: Omit<NewPayment, 'parseKind' | 'authResult' | 'status'>;
      payment: PaymentNotification;
      auth: MailAuthentication;
    };

/** DKIM keys could not be looked up: not forged, not fine. The message stays unprocessed and is tried again. */
export class AuthenticationUnavailableError extends Error {}

export function createIngestMessage(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  rules: readonly NotificationRule[];
  authenticateMail: AuthenticateMail;
  logger: Logger;
  onQueued: () => void;
}) {
  const { db, config, clock } = deps;
  const adminChats = config.telegram.adminIds;
  const cardSettings = { timeZone: config.timeZone, nearFen: config.recharge.offsetMaxFen };

  /** Decodes, parses and authenticates: no database. */
  async function examine(message: IncomingMessage): Promise<Examined> {
    const base = {
      mailbox: message.mailbox,
      uidValidity: message.uidValidity,
      uid: message.uid,
      receivedAt: message.receivedAt,
      processedAt: clock.now(),
    };
    const raw = message.raw;
    if (raw === null || raw.length > config.mail.maxBytes) {
      const envelope = cleanEnvelope(message.envelope);
      const messageKey = envelope.messageId ?? `envelope:${message.uidValidity}:${message.uid}`;
      const tooLarge = {
        ...base,
        messageKey,
        sender: envelope.from,
        subject: envelope.subject,
        parseKind: 'too_large',
      };
      return { kind: 'failure', payment: tooLarge, reason: `too large (${message.size} bytes)` };
    }
    const digestKey = () => `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    let mail: DecodedMail;
    try {
      mail = await decodeMail(raw);
    } catch (error) {
      deps.logger.warn({ err: error, uid: message.uid }, 'message could not be decoded');
      return {
        kind: 'failure',
        payment: { ...base, messageKey: digestKey(), parseKind: 'undecodable' },
        reason: 'undecodable',
      };
    }

    const fromAddress = mail.from[0]?.address ?? '';
    const described = {
      ...base,
      messageKey: mail.messageId ?? digestKey(),
      sender: mail.from.map((f) => f.address).join(', '),
      subject: mail.subject.slice(0, 500),
    };
    let parse: ReturnType<typeof parseNotification>;
    try {
      parse = parseNotification(
        { fromAddress, subject: mail.subject, text: mail.text, htmlText: mail.htmlText },
        deps.rules,
      );
    } catch (error) {
      deps.logger.error({ err: error, uid: message.uid }, 'parser threw');
      return {
        kind: 'failure',
        payment: { ...described, parseKind: 'parser_error' },
        reason: 'parser error',
      };
    }

    switch (parse.kind) {
      case 'not_payment':
        return {
          kind: 'ignored',
          payment: { ...described, parseKind: 'not_payment', authResult: 'skipped', status: 'ignored' },
        };
      case 'unparsed': {
        const trusted = trustedSenderEntry(fromAddress, config.mail.trustedSenders) !== null;
        if (!trusted) {
          return {
            kind: 'ignored',
            payment: { ...described, parseKind: 'unparsed', authResult: 'skipped', status: 'ignored' },
          };
        }
        const snippet = (mail.text || mail.htmlText).slice(0, 300);
        return {
          kind: 'failure',
          payment: { ...described, parseKind: 'unparsed', detail: { reason: parse.reason } },
          reason: 'unparsed',
          snippet,
        };
      }
      case 'payment':
        return { kind: 'payment', described, payment: parse, auth: await authenticate(raw, mail) };
      default:
        return assertNever(parse);
    }
  }

  /** Records the examined message in one transaction that also moves the cursor past it. */
  function record(message: IncomingMessage, examined: Examined): Promise<IngestOutcome> {
    switch (examined.kind) {
      case 'failure':
        return recordFailure(message, examined.payment, examined.reason, examined.snippet);
      case 'ignored':
        return recordSimple(message, examined.payment);
      case 'payment':
        return recordPayment(message, examined.described, examined.payment, examined.auth);
      default:
        return assertNever(examined);
    }
  }

  return async function ingestMessage(message: IncomingMessage): Promise<IngestOutcome> {
    return record(message, await examine(message));
  };

  async function authenticate(raw: Buffer, mail: DecodedMail): Promise<MailAuthentication> {
    const auth = await deps.authenticateMail(
      raw,
      mail.from.map((f) => f.address),
    );
    if (auth.verdict === 'temperror') throw new AuthenticationUnavailableError(auth.detail);
    return auth;
  }

  async function recordPayment(
    message: IncomingMessage,
    described: Omit<NewPayment, 'parseKind' | 'authResult' | 'status'>,
    payment: PaymentNotification,
    auth: MailAuthentication,
  ): Promise<IngestOutcome> {
    const paidAt = paymentTime(payment, message.receivedAt ?? clock.now());
    const fingerprint = notificationFingerprint(payment);
    const outcome = await inTransaction(db, async (store) => {
      await store.cursors.advance(message.mailbox, message.uidValidity, message.uid);
      const suspectedDuplicate = await store.payments.hasFingerprint(fingerprint, described.messageKey);
      const row = await store.payments.insertOnce({
        ...described,
        parseKind: 'payment',
        parseRuleId: payment.ruleId,
        provider: payment.provider,
        amountFen: payment.amountFen,
        payer: payment.payer,
        memo: payment.memo,
        transactionId: payment.transactionId,
        notifiedAt: payment.time ? new Date(payment.time) : null,
        fingerprint,
        authResult: auth.verdict,
        authDetail: auth.detail,
        status: 'review',
      });
      if (!row) return { kind: 'duplicate' } as const;

      const orderNos = new Set(orderNumberCandidates(payment.memo));
      const candidates = await store.orders.findCandidates([...orderNos], payment.amountFen, paidAt);
      const named = candidates.filter((order) => orderNos.has(order.orderNo));
      const sameAmount = candidates.filter((order) => !orderNos.has(order.orderNo));
      const match = matchPayment(
        {
          amountFen: payment.amountFen,
          memo: payment.memo,
          paidAt,
          authenticated: auth.verdict === 'pass',
          suspectedDuplicate,
        },
        named.map(toCandidate),
        sameAmount.map(toCandidate),
      );
      return settle(store, row.id, match, candidates, payment);
    });
    if (outcome.kind !== 'duplicate') deps.onQueued();
    return outcome;
  }

  async function settle(
    store: Store,
    paymentId: number,
    match: MatchOutcome,
    loaded: readonly OrderRow[],
    payment: PaymentNotification,
  ): Promise<IngestOutcome> {
    const rowOf = (id: number) => loaded.find((order) => order.id === id);
    if (match.kind === 'credit') {
      const order = rowOf(match.order.id);
      if (
        order &&
        (await creditOrder(store, { order, paymentId, at: clock.now(), actor: `auto:${match.by}` }))
      ) {
        return { kind: 'credited', paymentId, orderNo: order.orderNo };
      }
      // The order stopped being pending after we read it: a human decides.
      return review(store, paymentId, 'already_paid', [], payment);
    }
    return review(
      store,
      paymentId,
      match.reason,
      match.orders.map((o) => rowOf(o.id)).filter((o) => o !== undefined),
      payment,
    );
  }

  async function review(
    store: Store,
    paymentId: number,
    reason: string,
    orders: readonly OrderRow[],
    payment: PaymentNotification,
  ): Promise<IngestOutcome> {
    const [named] = orders;
    await store.payments.settle(paymentId, {
      status: 'review',
      reviewReason: reason,
      orderId: named?.id ?? null,
    });
    await queueReviewCards(store, { paymentId, chatIds: adminChats, settings: cardSettings });
    if (named && orders.length === 1 && payment.memo) {
      const customer = await store.customers.find(named.customerId);
      if (customer) {
        const text = textsFor(languageOf(customer.languageCode)).inReview(named.orderNo);
        await store.outbox.enqueue([{ chatId: customer.chatId, message: { method: 'sendMessage', text } }]);
      }
    }
    return { kind: 'review', paymentId, reason };
  }

  async function recordSimple(message: IncomingMessage, payment: NewPayment): Promise<IngestOutcome> {
    return inTransaction(db, async (store) => {
      await store.cursors.advance(message.mailbox, message.uidValidity, message.uid);
      const row = await store.payments.insertOnce(payment);
      return row ? ({ kind: 'ignored', paymentId: row.id } as const) : ({ kind: 'duplicate' } as const);
    });
  }

  function recordFailure(
    message: IncomingMessage,
    payment: Omit<NewPayment, 'authResult' | 'status'>,
    reason: string,
    snippet = '',
  ): Promise<IngestOutcome> {
    return recordFailedMessage(deps, message, payment, reason, snippet);
  }
}

/** The notification's own time, but never later than its arrival (a phone clock can run ahead). */
function paymentTime(payment: PaymentNotification, arrivedAt: Date): Date {
  const notified = payment.time ? new Date(payment.time) : null;
  return notified && !Number.isNaN(notified.getTime()) && notified < arrivedAt ? notified : arrivedAt;
}

function toCandidate(order: OrderRow): CandidateOrder {
  return {
    id: order.id,
    orderNo: order.orderNo,
    customerId: order.customerId,
    payableFen: order.payableFen,
    status: order.status,
    expiresAt: order.expiresAt,
  };
}

export type IngestMessage = ReturnType<typeof createIngestMessage>;

/** Errors that go away by themselves: DKIM keys not reachable, the database away. Retried, never given up on. */
export function isTransientIngestError(error: unknown): boolean {
  return error instanceof AuthenticationUnavailableError || isTransientDatabaseError(error);
}
