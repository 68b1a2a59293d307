// Notification-parsing rules as data: the rule shape and its zod schema for operator rule files; the
// built-in rules are in built-in-rules.ts.
import { z } from 'zod';
import { captureGroupCount, compilePattern } from './rule-pattern.ts';
import { isUtcOffset } from './time-text.ts';

function compileError(source: string): string | null {
  try {
    compilePattern(source);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const pattern = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((source, ctx) => {
    const problem = compileError(source);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${problem}` });
  });

const capturingPattern = pattern.refine(
  (source) => compileError(source) !== null || captureGroupCount(source) > 0,
  'must capture the value: use a placeholder ({amount}, {datetime}, {value}), a group named "value", or group 1',
);

/** One pattern or a list, tried in order. */
const patterns = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(item).min(1, 'needs at least one pattern'),
  );

const sender = z
  .string()
  .regex(
    /^(?:@[^\s@]+\.[^\s@]+|[^\s@]+@[^\s@]+\.[^\s@]+)$/,
    'must be an address (pay@qq.com) or an @domain (@alipay.com)',
  );

export const notificationRuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'must be letters, digits, ".", "_" or "-"'),
    provider: z.enum(['alipay', 'wechat']),
    description: z.string().optional(),
    /** Which mails the rule may read; any one entry matching is enough. Omitted = every mail. */
    scope: z
      .strictObject({
        /** Addresses or `@domain`s (a domain covers its subdomains), also read from forwarded headers. */
        senders: z.array(sender).optional(),
        /** Patterns for the subject (or a forwarded message's quoted subject). */
        subjects: z.array(pattern).optional(),
        /** Patterns anywhere in the text, such as the package line `com.tencent.mm`. */
        texts: z.array(pattern).optional(),
      })
      .optional(),
    /**
     * A forwarded phone notification: the notification titles (patterns, matched against the whole title)
     * of the provider's service accounts. The rule then reads only mails in the forwarder's layout
     * (package, text, title, `UID:`, time), fires only on the text's headline, and reads its fields from the
     * text. A title that is none of these (a chat: the contact's name) is never this rule's.
     */
    titles: z.array(pattern).min(1, 'needs at least one title').optional(),
    /** The rule applies only when one of these matches (the headline of a forwarded notification, else the text). */
    trigger: patterns(pattern),
    /** Every match of these is cut from the text before anything is read (daily totals, `[4条]`). */
    exclude: z.array(pattern).optional(),
    fields: z.strictObject({
      amount: patterns(capturingPattern),
      payer: patterns(capturingPattern).optional(),
      memo: patterns(capturingPattern).optional(),
      transactionId: patterns(capturingPattern).optional(),
      /** Local `yyyy-MM-dd HH:mm(:ss)` text, read in `timeZone`. */
      time: patterns(capturingPattern).optional(),
    }),
    timeZone: z.string().refine(isUtcOffset, 'must be a UTC offset like +08:00').optional(),
  })
  .refine((rule) => rule.titles !== undefined || (rule.scope?.senders?.length ?? 0) > 0, {
    message:
      'needs "titles" (a forwarded phone notification, read from the forwarder\'s layout) or "scope.senders" (mail written by the provider itself)',
  });

export const notificationRulesSchema = z.array(notificationRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id))
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate rule id "${rule.id}"` });
    seen.add(rule.id);
  });
});

export type NotificationRule = z.output<typeof notificationRuleSchema>;
export type NotificationRuleInput = z.input<typeof notificationRuleSchema>;

export const DEFAULT_TIME_ZONE = '+08:00';

export { builtInRules } from './built-in-rules.ts';
