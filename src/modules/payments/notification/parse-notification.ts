// Reads a payment out of a decoded notification mail by trying the parsing rules in order.
import { applyRule, type RuleContext } from './apply-rule.ts';
import { readForwardedLayout } from './forwarded-layout.ts';
import { normaliseLine, normaliseText } from './normalise-text.ts';
import type { NotificationMail, NotificationParse, PaymentNotification } from './payment-notification.ts';
import type { NotificationRule } from './rules.ts';

export type {
  NotificationMail,
  NotificationParse,
  PaymentNotification,
  Provider,
} from './payment-notification.ts';

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
  const context: RuleContext = {
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
