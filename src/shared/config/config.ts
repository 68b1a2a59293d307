// The service's configuration: one zod schema over the environment, composed of one section per file,
// every problem reported at once.
import { z } from 'zod';
import { type AlarmsConfig, alarmsEnv, toAlarmsConfig } from './alarms-config.ts';
import { text } from './config-values.ts';
import {
  type ForwarderConfig,
  forwarderComplete,
  forwarderEnv,
  toForwarderConfig,
} from './forwarder-config.ts';
import { type ImapConfig, imapEnv, toImapConfig } from './imap-config.ts';
import { type MailConfig, mailEnv, toMailConfig } from './mail-config.ts';
import {
  eventsComplete,
  type MerchantConfig,
  merchantEnv,
  merchantSecrets,
  merchantsNeedPublicUrl,
  toMerchantConfig,
} from './merchant-config.ts';
import { type RechargeConfig, rechargeEnv, rechargeRange, toRechargeConfig } from './recharge-config.ts';
import { type ServiceConfig, serviceEnv, toServiceConfig } from './service-config.ts';
import { type TelegramConfig, telegramEnv, toTelegramConfig, webhookHasAddress } from './telegram-config.ts';

const envSchema = z
  .object({
    ...telegramEnv.shape,
    ...imapEnv.shape,
    ...rechargeEnv.shape,
    ...mailEnv.shape,
    ...alarmsEnv.shape,
    ...serviceEnv.shape,
    ...merchantEnv.shape,
    ...forwarderEnv.shape,
    PAYEE_QR_URL_WECHAT: text('the content of the payee WeChat Pay collection QR code').optional(),
  })
  .check(rechargeRange, eventsComplete, merchantsNeedPublicUrl, forwarderComplete, webhookHasAddress);

type Env = z.infer<typeof envSchema>;

export type Config = Readonly<
  {
    telegram: TelegramConfig;
    imap: ImapConfig;
    payeeQrUrl: string;
    /** With it, orders carry a provider and the payer chooses Alipay or WeChat Pay. */
    payeeQrUrlWechat: string | null;
    recharge: RechargeConfig;
    mail: MailConfig;
    alarms: AlarmsConfig;
    merchant: MerchantConfig;
    /** The phone forwarder's webhook; null: off. */
    forwarder: ForwarderConfig;
  } & ServiceConfig
>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Pure: reads an environment map, returns the config or every problem found (never a value). */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}: ${describeIssue(issue, present[name])}`;
    });
    return { ok: false, problems: [...new Set(problems)] };
  }
  return { ok: true, config: toConfig(result.data) };
}

/** Values never echoed back in a problem. */
const SECRET_VARIABLES = new Set([
  'TELEGRAM_BOT_TOKEN',
  'IMAP_PASSWORD',
  'DATABASE_URL',
  'MERCHANTS',
  'API_TOKEN',
  'EVENTS_WEBHOOK_SECRET',
  'FORWARDER_TOKEN',
  'FORWARDER_SECRET',
  'TELEGRAM_WEBHOOK_SECRET',
]);

function describeIssue(issue: z.core.$ZodIssue, value: string | undefined): string {
  if (value === undefined) return issue.code === 'invalid_type' ? 'is required' : issue.message;
  const name = String(issue.path[0]);
  if (!issue.message.startsWith('expected')) return issue.message;
  if (value.trim() === '') return `${issue.message}, got only blanks`;
  return SECRET_VARIABLES.has(name) ? issue.message : `${issue.message}, got "${value}"`;
}

function toConfig(env: Env): Config {
  return {
    telegram: toTelegramConfig(env),
    imap: toImapConfig(env),
    payeeQrUrl: env.PAYEE_QR_URL,
    payeeQrUrlWechat: env.PAYEE_QR_URL_WECHAT ?? null,
    recharge: toRechargeConfig(env),
    mail: toMailConfig(env, env.IMAP_USER),
    alarms: toAlarmsConfig(env),
    merchant: toMerchantConfig(env),
    forwarder: toForwarderConfig(env),
    ...toServiceConfig(env),
  };
}

/** Every secret of the configuration, for the log scrubber and for error texts that are stored or shown. */
export function secretsOf(config: Config): string[] {
  return [
    config.telegram.token,
    config.imap.password,
    config.database.url,
    config.telegram.webhook?.secret,
    ...merchantSecrets(config.merchant),
    config.forwarder?.token,
    config.forwarder?.secret,
  ].filter((secret): secret is string => secret !== undefined);
}
