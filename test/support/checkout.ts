// The checkout page's test environment: a stack with one shop (MERCHANTS) and both collection codes, shop
// orders with fresh numbers, and the page's URLs.
import { randomInt } from 'node:crypto';
import { newOrderNumber } from '../../src/modules/orders/order-number.ts';
import { insertShopOrders, type ShopOrderSpec } from './shop-orders.ts';
import type { Stack } from './stack.ts';

export const SHOP_PID = '1001';
export const SHOP_KEY = 'shop-key-0123456789abcdef';
export const PAYEE_QR_URL_WECHAT = 'wxp://f2f0checkout-test-code';

export const CHECKOUT_ENV = {
  MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`,
  PUBLIC_URL: 'https://pay.example.com',
  PAYEE_QR_URL_WECHAT,
};

export const baseUrlOf = (stack: Stack) => `http://127.0.0.1:${stack.env.HTTP_PORT}`;

/** Inserts one pending shop order (a fresh number unless given) and returns its number. */
export async function shopOrder(
  stack: Stack,
  spec: Partial<ShopOrderSpec> & { payableFen: number },
): Promise<string> {
  if (!stack.service) throw new Error('the service is not running');
  const orderNo = spec.orderNo ?? newOrderNumber(randomInt);
  await insertShopOrders(stack.service.database.db, [
    { notifyUrl: 'http://127.0.0.1:9/notify', pid: SHOP_PID, ...spec, orderNo },
  ]);
  return orderNo;
}
