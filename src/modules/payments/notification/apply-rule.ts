// Applies one parsing rule to a notification: its scope, the section it reads, its trigger, its fields.

import { parsePrintedYuanToFen } from '../../../shared/money.ts';
import type { ForwardedNotification } from './forwarded-layout.ts';
import { normaliseLine } from './normalise-text.ts';
import type { PaymentNotification } from './payment-notification.ts';
import { capturedRange, capturedValue, compilePattern } from './rule-pattern.ts';
import { DEFAULT_TIME_ZONE, type NotificationRule } from './rules.ts';
import { senderCovers } from './sender-pattern.ts';
import { localDateTimeToIso } from './time-text.ts';

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

export type RuleContext = { subjects: string[]; senders: string[] };

function inScope(rule: NotificationRule, text: string, context: RuleContext): boolean {
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

export function applyRule(
  rule: NotificationRule,
  fullText: string,
  layout: ForwardedNotification | null,
  context: RuleContext,
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
      const parsed = parsePrintedYuanToFen(amountText);
      if (!parsed.ok || parsed.fen <= 0) problems.push(`"${amountText}" is not a valid amount`);
      else amounts.push({ fen: parsed.fen, index: match.index });
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
