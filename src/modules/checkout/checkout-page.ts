// The checkout page's HTML: the amount, the order number to copy and put in the note, the QR code (or the
// choice of provider first), the countdown and one line per status, which the script switches between.
import { formatYuan } from '../../shared/money.ts';
import type { Language } from '../notify/customer-texts.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import type { CheckoutOrder, CheckoutStatus } from './checkout.models.ts';
import { CHECKOUT_SCRIPT } from './checkout-script.ts';
import { CHECKOUT_CSS } from './checkout-style.ts';
import type { CheckoutTexts } from './checkout-texts.ts';
import { html, type SafeHtml, trustedMarkup } from './safe-html.ts';

export interface CheckoutView {
  order: CheckoutOrder;
  status: CheckoutStatus;
  language: Language;
  texts: CheckoutTexts;
  /** Non-empty: the payer chooses a provider before a code is shown. */
  choices: readonly Provider[];
  /** The QR code's SVG while a code is to be scanned; null otherwise (or no code configured for the provider). */
  qrSvg: SafeHtml | null;
  expiresInMs: number;
  /** Only once paid. */
  returnUrl: string | null;
  nonce: string;
}

const pagePath = (orderNo: string) => `/pay/${encodeURIComponent(orderNo)}`;

export function checkoutPage(view: CheckoutView): string {
  const { order, texts, status, language } = view;
  const path = pagePath(order.orderNo);
  const pending = status === 'pending';
  const body = html`<main>
<div class="card" id="checkout" data-status="${status}" data-status-url="${path}/status"
 data-expires-in="${Math.max(0, view.expiresInMs)}">
<header><h1>${texts.title}</h1><nav><a href="${path}?lang=${language === 'zh' ? 'en' : 'zh'}">${texts.switchTo}</a></nav></header>
<p class="item"><span class="label">${texts.forItem}:</span> <span id="item-name">${order.name}</span></p>
<section class="amount"><div class="label">${texts.amountLabel}</div>
<div class="value" id="amount">${formatYuan(order.payableFen)}</div><p class="note">${texts.amountNote}</p></section>
<section class="order"><div class="label">${texts.orderLabel}</div>
<div class="order-row"><code id="order-no">${order.orderNo}</code>
<button type="button" id="copy" class="secondary" data-copied="${texts.copied}">${texts.copy}</button></div>
<p class="note">${texts.orderNote}</p></section>
${pending && view.choices.length > 0 ? choiceForm(view, path) : false}
${pending && view.choices.length === 0 ? qrBlock(view) : false}
<p class="countdown" data-while-pending ${pending ? '' : html`hidden`}>${texts.expiresIn} <span id="countdown"></span></p>
${stateLines(view)}
</div></main>`;
  return document(texts, view.nonce, body);
}

function choiceForm(view: CheckoutView, path: string): SafeHtml {
  const buttons = view.choices.map(
    (provider) =>
      html`<button type="submit" name="provider" value="${provider}">${view.texts.providerName[provider]}</button>`,
  );
  return html`<form class="choice" id="choice" data-while-pending method="post" action="${path}/provider?lang=${view.language}">
<p>${view.texts.choose}</p><div class="buttons">${buttons}</div></form>`;
}

function qrBlock(view: CheckoutView): SafeHtml {
  const { texts, order } = view;
  if (!view.qrSvg) return html`<p class="state expired" data-while-pending>${texts.codeUnavailable}</p>`;
  const scan = order.provider ? texts.scan[order.provider] : texts.scanAny;
  return html`<section class="qr-block" id="qr-block" data-while-pending><div class="label">${scan}</div>
<div class="qr" id="qr">${view.qrSvg}</div></section>`;
}

function stateLines(view: CheckoutView): SafeHtml {
  const { texts, status } = view;
  const hiddenUnless = (state: CheckoutStatus) => (status === state ? '' : html`hidden`);
  const returnLink = view.returnUrl
    ? html`<a id="return-link" href="${view.returnUrl}">${texts.returnToShop}</a>`
    : html`<a id="return-link" hidden>${texts.returnToShop}</a>`;
  return html`<p class="state pending" data-state="pending" ${hiddenUnless('pending')}>${texts.pending}</p>
<div class="state paid" data-state="paid" ${hiddenUnless('paid')}>${texts.paid}
<div class="note" id="returning" hidden>${texts.paidReturning}</div>
<div class="note"><span id="paid-close" ${view.returnUrl ? html`hidden` : ''}>${texts.paidClose}</span> ${returnLink}</div></div>
<p class="state expired" data-state="expired" ${hiddenUnless('expired')}>${texts.expired}</p>
<p class="state cancelled" data-state="cancelled" ${hiddenUnless('cancelled')}>${texts.cancelled}</p>
<p class="state refunded" data-state="refunded" ${hiddenUnless('refunded')}>${texts.refunded}</p>`;
}

/** A page with one message: not found, busy, already chosen. Without detail. */
export function messagePage(
  texts: CheckoutTexts,
  nonce: string,
  message: { title: string; text: string; back?: string },
): string {
  const back = message.back ? html`<p><a href="${message.back}">${texts.back}</a></p>` : false;
  return document(
    texts,
    nonce,
    html`<main><div class="card"><h1>${message.title}</h1><p>${message.text}</p>${back}</div></main>`,
    false,
  );
}

function document(texts: CheckoutTexts, nonce: string, body: SafeHtml, withScript = true): string {
  const script = withScript
    ? html`<script nonce="${nonce}">${trustedMarkup(CHECKOUT_SCRIPT)}</script>`
    : false;
  return html`<!doctype html>
<html lang="${texts.htmlLang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${texts.title}</title>
<style nonce="${nonce}">${trustedMarkup(CHECKOUT_CSS)}</style></head>
<body>${body}${script}</body></html>`.markup;
}
