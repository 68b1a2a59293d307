// Reads a payment out of a decoded notification mail by trying the parsing rules in order.
import { senderCovers } from '../../ingestion/mail/trusted-senders.ts';
import { yuanTextToFen } from './amount-text.ts';
import { type ForwardedNotification, readForwardedLayout } from './forwarded-layout.ts';
import { normaliseLine, normaliseText } from './normalise-text.ts';
import { capturedRange, capturedValue, compilePattern } from './rule-pattern.ts';
import { DEFAULT_TIME_ZONE, type NotificationRule } from './rules.ts';
import { localDateTimeToIso } from './time-text.ts';

export type Provider = 'alipay' | 'wechat';

export type PaymentNotification = {
  kind: 'payment';
  ruleId: string;
  provider: Provider;
  amountFen: number;
  payer: string | null;
  memo: string | null;
  transactionId: string | null;
  /** Local time with its offset, e.g. `2026-11-20T12:01:10+08:00`. */
  time: string | null;
  /** The normalised line the amount was read from, for spotting forwarder repeats. */
  notificationText: string;
  /** Why the message could be read more than one way (two rules, two amounts): it goes to review. */
  doubt: string | null;
};

export type NotificationParse =
  | PaymentNotification
  | { kind: 'not_payment' }
  | { kind: 'unparsed'; reason: string };

export type NotificationMail = { fromAddress: string; subject: string; text: string; htmlText?: string };

/** A line that reads like money received: a receiving word and an amount. */
const RECEIVED_WORDS =
  /收款|到账|向你付款|付款给你|向你转账|转账给你|收到.{0,10}(?:转账|付款|红包|赞赏|款项)/u;
const AMOUNT_SHAPE = /¥ *\d|\d *元/u;
/**
 * An Alipay friend transfer announces a count, not an amount. Sources: c-kzxvldkhX/receiptnotice
 * `AlipayPmentayNotificationHandle.java` ("XX已成功向你转了1笔钱") and its issue #77 ("xxxx公司给你转了1笔钱").
 */
const AMOUNTLESS_INCOMING = /(?:向|给)你转了 *\d{1,4} *笔钱/u;
const FORWARDED_FROM = /^(?:from|发件人|寄件人) *:(.*)$/gimu;
const FORWARDED_SUBJECT = /^(?:subject|主题|標題) *:(.*)$/gimu;
/** Splits a header line into words; each word is then checked whole, so no search can backtrack. */
const ADDRESS_DELIMITERS = /[\s<>"'():;,[\]]+/u;
const ADDRESS = /^[^@]+@[^@]+\.[a-z]{2,}$/iu;
/**
 * Bounds that keep every rule pattern linear in the text: a pattern can be at worst quadratic within a
 * line, and lines are capped, so the whole text costs lines × MAX_LINE_CHARS². Real notifications are
 * a few hundred characters; a longer text is reported, not read.
 */
export const MAX_LINE_CHARS = 500;
export const MAX_TEXT_CHARS = 64_000;

const compiled = new Map<string, RegExp>();
function regex(source: string, global = false): RegExp {
  const key = `${global ? 'g' : '-'}${source}`;
  let found = compiled.get(key);
  if (!found) {
    found = compilePattern(source, global);
    compiled.set(key, found);
  }
  found.lastIndex = 0;
  return found;
}

type Context = { subjects: string[]; senders: string[] };

function inScope(rule: NotificationRule, text: string, context: Context): boolean {
  const scope = rule.scope;
  if (!scope || (!scope.senders?.length && !scope.subjects?.length && !scope.texts?.length)) return true;
  return (
    (scope.senders ?? []).some((entry) => context.senders.some((address) => senderCovers(entry, address))) ||
    (scope.subjects ?? []).some((source) =>
      context.subjects.some((subject) => regex(source).test(subject)),
    ) ||
    (scope.texts ?? []).some((source) => regex(source).test(text))
  );
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return normaliseLine(text.slice(start, end === -1 ? undefined : end));
}

/** Stands, once a character, where a payer-written value was cut out: positions still match the text. */
const CUT = '…';

/**
 * Reads the first value `sources` find and cuts it out of the text: a nickname or memo is the payer's
 * own words, so an amount or phrase inside it must never be read as the notification's.
 */
function takeValue(sources: readonly string[] | undefined, text: string): [string | null, string] {
  for (const source of sources ?? []) {
    const match = regex(source).exec(text);
    const range = match ? capturedRange(match) : undefined;
    const value = match ? normaliseLine(capturedValue(match) ?? '') : '';
    if (!value || !range) continue;
    return [value, `${text.slice(0, range[0])}${CUT.repeat(range[1] - range[0])}${text.slice(range[1])}`];
  }
  return [null, text];
}

function firstValue(sources: readonly string[] | undefined, text: string): string | null {
  return takeValue(sources, text)[0];
}

/** What a rule reads: the whole mail for a provider's own mail, the notification text for a forwarded one. */
type Reading = { section: string; headline: string; timeLine: string | null };

function readingFor(
  rule: NotificationRule,
  text: string,
  layout: ForwardedNotification | null,
): Reading | string | null {
  if (!rule.titles) return { section: text, headline: text, timeLine: null };
  if (!layout)
    return rule.trigger.some((source) => regex(source).test(text))
      ? `rule ${rule.id}: not in the forwarder's layout (package, text, title, UID, time lines)`
      : null;
  if (!rule.titles.some((source) => regex(`^(?:${source})$`).test(layout.title))) return null;
  const section = layout.text.join('\n');
  return { section, headline: layout.text[0] ?? '', timeLine: layout.timeLine };
}

function excluded(rule: NotificationRule, text: string): string {
  let kept = text;
  for (const source of rule.exclude ?? []) kept = kept.replace(regex(source, true), '');
  return kept;
}

type RuleOutcome =
  | { kind: 'payment'; payment: PaymentNotification }
  | { kind: 'failed'; reason: string }
  | null;

function applyRule(
  rule: NotificationRule,
  fullText: string,
  layout: ForwardedNotification | null,
  context: Context,
): RuleOutcome {
  if (!inScope(rule, fullText, context)) return null;
  const reading = readingFor(rule, fullText, layout);
  if (reading === null) return null;
  if (typeof reading === 'string') return { kind: 'failed', reason: reading };

  const section = excluded(rule, reading.section);
  const [payer, withoutPayer] = takeValue(rule.fields.payer, section);
  const [memo, text] = takeValue(rule.fields.memo, withoutPayer);
  const headline = rule.titles ? (text.split('\n')[0] ?? '') : text;
  if (!rule.trigger.some((source) => regex(source).test(headline))) return null;

  const problems: string[] = [];
  const amounts: Array<{ fen: number; index: number }> = [];
  for (const source of rule.fields.amount) {
    for (const match of text.matchAll(regex(source, true))) {
      const amountText = capturedValue(match) ?? '';
      const fen = yuanTextToFen(amountText);
      if (fen === null || fen <= 0) problems.push(`"${amountText}" is not a valid amount`);
      else amounts.push({ fen, index: match.index });
    }
  }
  const [first] = amounts;
  if (!first)
    return {
      kind: 'failed',
      reason: `rule ${rule.id}: ${problems.length ? problems.join(', ') : 'no amount found'}`,
    };
  const distinct = [...new Set(amounts.map((amount) => amount.fen))];
  const fieldsText = reading.timeLine ? `${text}\n${reading.timeLine}` : text;
  const timeText = firstValue(rule.fields.time, fieldsText);
  return {
    kind: 'payment',
    payment: {
      kind: 'payment',
      ruleId: rule.id,
      provider: rule.provider,
      amountFen: first.fen,
      payer,
      memo,
      transactionId: firstValue(rule.fields.transactionId, text),
      time: timeText === null ? null : localDateTimeToIso(timeText, rule.timeZone ?? DEFAULT_TIME_ZONE),
      notificationText: lineAt(section, first.index),
      doubt:
        distinct.length > 1
          ? `rule ${rule.id} reads ${distinct.length} different amounts: ${distinct.map(formatFen).join(', ')}`
          : null,
    },
  };
}

function formatFen(fen: number): string {
  return (fen / 100).toFixed(2);
}

function looksLikeReceivedPayment(text: string): boolean {
  return text.split('\n').some((line) => RECEIVED_WORDS.test(line) && AMOUNT_SHAPE.test(line));
}

/** Strips `> ` quoting and normalises, so quoted forwards read like the original; long lines are cut. */
function prepareBody(body: string): string {
  return normaliseText(body.slice(0, MAX_TEXT_CHARS + 1).replace(/^(?:[ \t]*>)+[ \t]?/gm, ''))
    .split('\n')
    .map((line) => line.slice(0, MAX_LINE_CHARS))
    .join('\n');
}

function addressesIn(line: string): string[] {
  return line.split(ADDRESS_DELIMITERS).filter((word) => ADDRESS.test(word));
}

function collect(pattern: RegExp, text: string, pick: (value: string) => string[]): string[] {
  return [...text.matchAll(pattern)].flatMap((match) => pick(match[1] ?? ''));
}

function parseBody(
  body: string,
  mail: NotificationMail,
  rules: readonly NotificationRule[],
): NotificationParse {
  const subject = normaliseLine(mail.subject).slice(0, MAX_LINE_CHARS);
  const text = subject ? `${subject}\n${body}` : body;
  const layout = readForwardedLayout(body.split('\n'));
  const context: Context = {
    subjects: [subject, ...collect(FORWARDED_SUBJECT, body, (value) => [normaliseLine(value)])],
    senders: [mail.fromAddress, ...collect(FORWARDED_FROM, body, addressesIn)].map((address) =>
      address.trim().toLowerCase(),
    ),
  };
  const payments: PaymentNotification[] = [];
  const failures: string[] = [];
  for (const rule of rules) {
    const outcome = applyRule(rule, text, layout, context);
    if (outcome?.kind === 'payment') payments.push(outcome.payment);
    if (outcome?.kind === 'failed') failures.push(outcome.reason);
  }
  const [payment, ...others] = payments;
  if (payment && others.length > 0) {
    const ids = payments.map((fit) => fit.ruleId).join(', ');
    return { ...payment, doubt: `${payments.length} rules fit (${ids})` };
  }
  if (payment) return payment;
  if (failures.length) return { kind: 'unparsed', reason: failures.join('; ') };
  const notice = layout ? ` (notification title "${layout.title.slice(0, 64)}")` : '';
  if (AMOUNTLESS_INCOMING.test(text))
    return {
      kind: 'unparsed',
      reason: `an incoming payment that does not say its amount${notice}: check the app and credit it by hand`,
    };
  if (looksLikeReceivedPayment(text))
    return { kind: 'unparsed', reason: `looks like a received payment but no rule matches${notice}` };
  return { kind: 'not_payment' };
}

/**
 * Tries the text part, then the HTML part converted to text (they can differ in a
 * multipart/alternative); the first that yields a payment wins, then the first `unparsed`.
 */
export function parseNotification(
  mail: NotificationMail,
  rules: readonly NotificationRule[],
): NotificationParse {
  const parts = [mail.text, mail.htmlText ?? ''];
  const longest = Math.max(...parts.map((part) => part.length));
  if (longest > MAX_TEXT_CHARS)
    return { kind: 'unparsed', reason: `text too long for a notification (${longest} characters)` };
  const distinct = [...new Set(parts.map(prepareBody))].filter(Boolean);
  // With no body at all the subject alone is still read.
  const bodies = distinct.length ? distinct : [''];
  const outcomes = bodies.map((body) => parseBody(body, mail, rules));
  return (
    outcomes.find((outcome) => outcome.kind === 'payment') ??
    outcomes.find((outcome) => outcome.kind === 'unparsed') ?? { kind: 'not_payment' }
  );
}
