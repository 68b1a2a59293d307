// The EPay API's routes, wired from the configuration: none unless MERCHANTS is set (config guarantees
// PUBLIC_URL with it).
import { randomInt } from 'node:crypto';
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { createStore, transactionOf } from '../../shared/db/store.ts';
import type { RootLogger } from '../../shared/logger/logger.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import type { Route } from '../http/router.ts';
import { orderingSettingsOf } from '../orders/create-order.ts';
import { createCreateShopOrder } from './create-shop-order.ts';
import { type CreationLimits, createCreationLimiter, DEFAULT_CREATION_LIMITS } from './creation-limits.ts';
import { epayRoutes } from './epay-routes.ts';
import { createNotifyAddressCheck } from './notify-address.ts';
import { createQueryShopOrder } from './query-shop-order.ts';
import { createTakeShopOrder } from './take-shop-order.ts';

/** Internal knobs, not configuration: tests and benchmarks set the creation limits. */
export type EpayTuning = { epayLimits?: CreationLimits };

export function shopPaymentRoutes(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  mailboxState: () => MailboxState;
  logger: RootLogger;
  tuning?: EpayTuning | undefined;
}): Route[] {
  const { config } = deps;
  const { merchants, publicUrl, allowPrivateNotify } = config.merchant;
  if (merchants.size === 0 || publicUrl === null) return [];
  const wechatEnabled = config.payeeQrUrlWechat !== null;
  const { recharge, alarm } = orderingSettingsOf(config);
  const range = { minFen: recharge.minFen, maxFen: recharge.maxFen };
  return epayRoutes({
    takeShopOrder: createTakeShopOrder({
      rules: { merchants, wechatEnabled, ...range },
      limiter: createCreationLimiter(deps.tuning?.epayLimits ?? DEFAULT_CREATION_LIMITS),
      notifyAddressAllowed: createNotifyAddressCheck({ allowPrivate: allowPrivateNotify }),
      createShopOrder: createCreateShopOrder({
        transaction: transactionOf(deps.db),
        recharge,
        alarm,
        clock: deps.clock,
        randomIndex: (n) => randomInt(n),
        mailboxState: deps.mailboxState,
        wechatEnabled,
      }),
    }),
    queryShopOrder: createQueryShopOrder({
      store: createStore(deps.db),
      merchants,
      timeZone: config.timeZone,
    }),
    publicUrl,
    range,
    logger: deps.logger.child({ component: 'epay' }),
  });
}
