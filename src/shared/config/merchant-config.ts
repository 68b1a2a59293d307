// The merchant section of the configuration: the public URL, the EPay API's shops, the balance API's token
// and the signed events (SPEC §8).
import { z } from 'zod';
import { bool, csv } from './config-values.ts';

const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, error: `expected ${what} (an http:// or https:// URL)` });

/** `pid:key,pid:key`: pid digits, key at least 16 characters (it signs every request and notify). */
const merchants = z
  .string()
  .transform(csv)
  .pipe(
    z
      .array(
        z.string().regex(/^\d{1,18}:[\x21-\x7e]{16,}$/, {
          error: 'expected pid:key pairs, comma-separated (pid digits, key at least 16 printable characters)',
        }),
      )
      .min(1, 'expected pid:key pairs, comma-separated'),
  )
  .refine((pairs) => new Set(pairs.map((pair) => pair.split(':')[0])).size === pairs.length, {
    error: 'expected each pid once',
  });

export const merchantEnv = z.object({
  PUBLIC_URL: httpUrl('the base URL customers and shops reach the HTTP server at').optional(),
  MERCHANTS: merchants.optional(),
  API_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,}$/, 'expected at least 32 printable characters')
    .optional(),
  EVENTS_WEBHOOK_URL: httpUrl('where events are POSTed').optional(),
  EVENTS_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, 'expected at least 16 printable characters')
    .optional(),
  ALLOW_PRIVATE_NOTIFY: bool.default(false),
});

type MerchantEnv = z.infer<typeof merchantEnv>;

/** Events need both the URL and the secret: one without the other is a mistake, named at start-up. */
export const eventsComplete = z.refine<{ EVENTS_WEBHOOK_URL?: string; EVENTS_WEBHOOK_SECRET?: string }>(
  (env) => !env.EVENTS_WEBHOOK_URL || env.EVENTS_WEBHOOK_SECRET !== undefined,
  {
    path: ['EVENTS_WEBHOOK_SECRET'],
    message: 'is required when EVENTS_WEBHOOK_URL is set',
    when: ({ issues }) => !issues.some((issue) => String(issue.path?.[0]).startsWith('EVENTS_WEBHOOK')),
  },
);

/** The EPay API answers with checkout links under PUBLIC_URL: shops without it would get none. */
export const merchantsNeedPublicUrl = z.refine<{ MERCHANTS?: string[]; PUBLIC_URL?: string }>(
  (env) => !env.MERCHANTS || env.PUBLIC_URL !== undefined,
  {
    path: ['PUBLIC_URL'],
    message: 'is required when MERCHANTS is set (the base URL of the checkout pages shops send payers to)',
    when: ({ issues }) =>
      !issues.some((issue) => ['MERCHANTS', 'PUBLIC_URL'].includes(String(issue.path?.[0]))),
  },
);

export type MerchantConfig = {
  /** Without a trailing slash; null: checkout links and payurl are off (and so is the EPay API). */
  publicUrl: string | null;
  /** pid → key; empty: the EPay API is off. */
  merchants: ReadonlyMap<string, string>;
  apiToken: string | null;
  events: { url: string; secret: string } | null;
  /** Tests (and operators whose shops sit on a private network) allow notify URLs on private addresses. */
  allowPrivateNotify: boolean;
};

export function toMerchantConfig(env: MerchantEnv): MerchantConfig {
  const pairs = (env.MERCHANTS ?? []).map((pair) => {
    const at = pair.indexOf(':');
    return [pair.slice(0, at), pair.slice(at + 1)] as const;
  });
  return {
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null,
    merchants: new Map(pairs),
    apiToken: env.API_TOKEN ?? null,
    events:
      env.EVENTS_WEBHOOK_URL && env.EVENTS_WEBHOOK_SECRET
        ? { url: env.EVENTS_WEBHOOK_URL, secret: env.EVENTS_WEBHOOK_SECRET }
        : null,
    allowPrivateNotify: env.ALLOW_PRIVATE_NOTIFY,
  };
}

/** The merchant secrets, for the log scrubber. */
export function merchantSecrets(config: MerchantConfig): string[] {
  return [...config.merchants.values(), config.apiToken, config.events?.secret].filter(
    (secret): secret is string => typeof secret === 'string',
  );
}
