// The forwarder section of the configuration: the phone forwarder's webhook (SPEC §9), on when both the
// path token and the signing secret are set.
import { z } from 'zod';

export const forwarderEnv = z.object({
  /** Part of the URL path, so only characters a path carries as they are. */
  FORWARDER_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,}$/, 'expected at least 16 letters, digits, "-" or "_"')
    .optional(),
  FORWARDER_SECRET: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, 'expected at least 16 printable characters')
    .optional(),
});

/** The token and the secret together: one without the other is a mistake, named at start-up. */
export const forwarderComplete = z.refine<{ FORWARDER_TOKEN?: string; FORWARDER_SECRET?: string }>(
  (env) => (env.FORWARDER_TOKEN === undefined) === (env.FORWARDER_SECRET === undefined),
  {
    path: ['FORWARDER_SECRET'],
    message: 'FORWARDER_TOKEN and FORWARDER_SECRET are set together or not at all',
    when: ({ issues }) => !issues.some((issue) => String(issue.path?.[0]).startsWith('FORWARDER_')),
  },
);

/** Null: the webhook is off. */
export type ForwarderConfig = { token: string; secret: string } | null;

export function toForwarderConfig(env: z.infer<typeof forwarderEnv>): ForwarderConfig {
  return env.FORWARDER_TOKEN && env.FORWARDER_SECRET
    ? { token: env.FORWARDER_TOKEN, secret: env.FORWARDER_SECRET }
    : null;
}
