// The checkout page's answers: the visitor's language and a fresh CSP nonce per page, the page headers (a strict
// Content-Security-Policy, no caching, no referrer), the not-found page, and the provider a form names.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, queryOf, readBody } from '../http/request-body.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { messagePage } from './checkout-page.ts';
import { type CheckoutTexts, checkoutLanguage, checkoutTexts } from './checkout-texts.ts';

const MAX_FORM_BYTES = 1024;

export const NO_STORE = { 'cache-control': 'no-store' };

export const pathOf = (request: IncomingMessage) => request.url?.split('?')[0] ?? '';

export function pageContext(request: IncomingMessage) {
  const language = checkoutLanguage(queryOf(request).get('lang'), request.headers['accept-language']);
  return { language, texts: checkoutTexts(language), nonce: randomBytes(18).toString('base64') };
}

/** The provider the form names, when it is one offered; null for anything else (or an oversized body). */
export async function providerSent(
  request: IncomingMessage,
  offered: readonly Provider[],
): Promise<Provider | null> {
  try {
    const form = new URLSearchParams((await readBody(request, MAX_FORM_BYTES)).toString('utf8'));
    return offered.find((provider) => provider === form.get('provider')) ?? null;
  } catch (error) {
    if (error instanceof BodyTooLarge) return null;
    throw error;
  }
}

export function notFound(response: ServerResponse, texts: CheckoutTexts, nonce: string) {
  sendPage(
    response,
    404,
    nonce,
    messagePage(texts, nonce, { title: texts.notFoundTitle, text: texts.notFound }),
  );
}

/** A strict CSP: nothing loads from anywhere, only this response's inline script and style run. */
export function sendPage(response: ServerResponse, status: number, nonce: string, page: string) {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...NO_STORE,
    })
    .end(page);
}
