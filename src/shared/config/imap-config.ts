// The IMAP section of the configuration: the mailbox the payment notifications arrive in.
import { z } from 'zod';
import { bool, int, text } from './config-values.ts';

export const imapEnv = z.object({
  IMAP_HOST: text('the IMAP server host name'),
  IMAP_PORT: int(1, 65535, 'a port number').default(993),
  IMAP_SECURE: bool.default(true),
  IMAP_USER: text('the mailbox login'),
  IMAP_PASSWORD: text('the mailbox password (QQ Mail: the authorisation code)'),
  IMAP_MAILBOX: text('a mailbox folder name such as INBOX').default('INBOX'),
  IMAP_POLL_SECONDS: int(1, 3_600, 'a number of seconds').default(30),
});

export type ImapConfig = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  pollSeconds: number;
};

export function toImapConfig(env: z.infer<typeof imapEnv>): ImapConfig {
  return {
    host: env.IMAP_HOST,
    port: env.IMAP_PORT,
    secure: env.IMAP_SECURE,
    user: env.IMAP_USER,
    password: env.IMAP_PASSWORD,
    mailbox: env.IMAP_MAILBOX,
    pollSeconds: env.IMAP_POLL_SECONDS,
  };
}
