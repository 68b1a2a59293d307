// The checkout page's handlers: they read the order, call the one use case and format the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../shared/db/database.ts';
import { createStore, transactionOf } from '../../shared/db/store.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import { sendJson } from '../http/request-body.ts';
import type { PayableWindow } from '../orders/payable-amount.ts';
import {
  checkoutStatus,
  needsProviderChoice,
  offeredProviders,
  type PayeeCodes,
  paidReturnUrl,
  qrContentFor,
} from './checkout.models.ts';
import { checkoutPage, messagePage } from './checkout-page.ts';
import { NO_STORE, notFound, pageContext, providerSent, sendPage } from './checkout-responses.ts';
import { createChooseProvider } from './choose-provider.ts';
import { createQrSvgs } from './qr-svg.ts';

export interface CheckoutDeps {
  db: Db;
  codes: PayeeCodes;
  /** The merchant key of a pid (config.merchant.merchants): it signs the return URL's parameters. */
  keyOf: (pid: string) => string | undefined;
  windowFor: (requestedFen: number) => PayableWindow;
  clock: Clock;
  logger: Logger;
}

export function createCheckoutHandlers(deps: CheckoutDeps) {
  const store = createStore(deps.db);
  const qrSvg = createQrSvgs();
  const chooseProvider = createChooseProvider({ transaction: transactionOf(deps.db), ...deps });
  return {
    async showPage(request: IncomingMessage, response: ServerResponse, orderNo: string) {
      const { texts, language, nonce } = pageContext(request);
      const order = await store.checkout.findShopOrder(orderNo);
      if (!order) return notFound(response, texts, nonce);
      const now = deps.clock.now();
      const status = checkoutStatus(order, now);
      const choices = needsProviderChoice(order, deps.codes) ? offeredProviders(deps.codes) : [];
      const qrContent = qrContentFor(order.provider, deps.codes);
      const page = checkoutPage({
        order,
        status,
        language,
        texts,
        choices,
        qrSvg: qrContent && choices.length === 0 ? await qrSvg(qrContent) : null,
        expiresInMs: order.expiresAt.getTime() - now.getTime(),
        returnUrl: paidReturnUrl(order, status, deps.keyOf),
        nonce,
      });
      sendPage(response, 200, nonce, page);
    },

    async sendStatus(response: ServerResponse, orderNo: string) {
      const order = await store.checkout.findShopOrder(orderNo);
      if (!order) return sendJson(response, 404, { error: 'not found' }, NO_STORE);
      const status = checkoutStatus(order, deps.clock.now());
      const returnUrl = paidReturnUrl(order, status, deps.keyOf);
      sendJson(response, 200, returnUrl ? { status, returnUrl } : { status }, NO_STORE);
    },

    /** The choice's answer: back to the page (chosen, or no longer pending), or a page saying why not. */
    async choose(request: IncomingMessage, response: ServerResponse, orderNo: string) {
      const { texts, language, nonce } = pageContext(request);
      const back = `/pay/${orderNo}?lang=${language}`;
      const say = (status: number, title: string, text: string) =>
        sendPage(response, status, nonce, messagePage(texts, nonce, { title, text, back }));
      const provider = await providerSent(request, offeredProviders(deps.codes));
      if (!provider) return say(400, texts.choose, texts.codeUnavailable);
      const outcome = await chooseProvider(orderNo, provider);
      const result = outcome.kind === 'chosen' ? 'chosen' : outcome.code;
      deps.logger.info({ orderNo, provider, outcome: result }, 'checkout provider choice');
      if (result === 'chosen' || result === 'order.not_pending') {
        response.writeHead(303, { location: back, ...NO_STORE }).end();
      } else if (result === 'order.not_found') notFound(response, texts, nonce);
      else if (result === 'order.provider_chosen') say(409, texts.chosenTitle, texts.chosen);
      else {
        response.setHeader('retry-after', '5');
        say(503, texts.busyTitle, texts.busy);
      }
    },
  };
}
