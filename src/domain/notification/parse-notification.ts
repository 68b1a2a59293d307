// Reads a payment out of a decoded notification mail by trying the parsing rules in order.
import { yuanTextToFen } from './amount-text.ts';
import { normaliseLine, normaliseText } from './normalise-text.ts';
import { capturedValue, compilePattern } from './rule-pattern.ts';
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

function senderMatches(entry: string, address: string): boolean {
  const wanted = entry.toLowerCase();
  if (!wanted.startsWith('@')) return address === wanted;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return domain === wanted.slice(1) || domain.endsWith(`.${wanted.slice(1)}`);
}

function inScope(rule: NotificationRule, text: string, context: Context): boolean {
  const scope = rule.scope;
  if (!scope || (!scope.senders?.length && !scope.subjects?.length && !scope.texts?.length)) return true;
  return (
    (scope.senders ?? []).some((entry) => context.senders.some((address) => senderMatches(entry, address))) ||
    (scope.subjects ?? []).some((source) =>
      context.subjects.some((subject) => regex(source).test(subject)),
    ) ||
    (scope.texts ?? []).some((source) => regex(source).test(text))
  );
}

function firstValue(sources: readonly string[] | undefined, text: string): string | null {
  for (const source of sources ?? []) {
    const match = regex(source).exec(text);
    const value = match ? normaliseLine(capturedValue(match) ?? '') : '';
    if (value) return value;
  }
  return null;
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  return normaliseLine(text.slice(start, end === -1 ? undefined : end));
}

type RuleOutcome =
  | { kind: 'payment'; payment: PaymentNotification }
  | { kind: 'failed'; reason: string }
  | null;

function applyRule(rule: NotificationRule, fullText: string, context: Context): RuleOutcome {
  if (!inScope(rule, fullText, context)) return null;
  let text = fullText;
  for (const source of rule.exclude ?? []) text = text.replace(regex(source, true), '');
  if (!rule.trigger.some((source) => regex(source).test(text))) return null;

  const problems: string[] = [];
  for (const source of rule.fields.amount) {
    const match = regex(source).exec(text);
    if (!match) continue;
    const amountText = capturedValue(match) ?? '';
    const amountFen = yuanTextToFen(amountText);
    if (amountFen === null || amountFen <= 0) {
      problems.push(`"${amountText}" is not a valid amount`);
      continue;
    }
    const timeText = firstValue(rule.fields.time, text);
    return {
      kind: 'payment',
      payment: {
        kind: 'payment',
        ruleId: rule.id,
        provider: rule.provider,
        amountFen,
        payer: firstValue(rule.fields.payer, text),
        memo: firstValue(rule.fields.memo, text),
        transactionId: firstValue(rule.fields.transactionId, text),
        time: timeText === null ? null : localDateTimeToIso(timeText, rule.timeZone ?? DEFAULT_TIME_ZONE),
        notificationText: lineAt(text, match.index),
      },
    };
  }
  return {
    kind: 'failed',
    reason: `rule ${rule.id}: ${problems.length ? problems.join(', ') : 'no amount found'}`,
  };
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
  const context: Context = {
    subjects: [subject, ...collect(FORWARDED_SUBJECT, body, (value) => [normaliseLine(value)])],
    senders: [mail.fromAddress, ...collect(FORWARDED_FROM, body, addressesIn)].map((address) =>
      address.trim().toLowerCase(),
    ),
  };
  const failures: string[] = [];
  for (const rule of rules) {
    const outcome = applyRule(rule, text, context);
    if (outcome?.kind === 'payment') return outcome.payment;
    if (outcome?.kind === 'failed') failures.push(outcome.reason);
  }
  if (failures.length) return { kind: 'unparsed', reason: failures.join('; ') };
  if (looksLikeReceivedPayment(text))
    return { kind: 'unparsed', reason: 'looks like a received payment but no rule matches' };
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
