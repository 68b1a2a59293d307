// The checkout page's words in Chinese (the default) and English, and the language a visitor reads: `?lang=`
// when given, else the first of zh / en in Accept-Language by preference.
import type { Language } from '../notify/customer-texts.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';

const zh = {
  htmlLang: 'zh-CN',
  title: '付款',
  switchTo: 'English',
  amountLabel: '请支付',
  amountNote: '请按此金额付款，分毫不差，否则无法自动到账。',
  orderLabel: '订单号',
  orderNote: '付款时请把订单号填入备注（转账说明）。',
  copy: '复制',
  copied: '已复制',
  scan: { alipay: '请用支付宝扫码付款', wechat: '请用微信扫码付款' } as Record<Provider, string>,
  scanAny: '请扫码付款',
  expiresIn: '剩余时间',
  forItem: '商品',
  choose: '请选择付款方式',
  providerName: { alipay: '支付宝', wechat: '微信支付' } as Record<Provider, string>,
  pending: '等待付款…付款后本页会自动更新。',
  paid: '付款成功',
  paidReturning: '正在返回商户…',
  returnToShop: '返回商户',
  paidClose: '您可以关闭本页。',
  expired: '订单已过期。如已付款，请联系商户。',
  cancelled: '订单已取消。',
  refunded: '订单已退款。',
  codeUnavailable: '此付款方式暂不可用，请联系商户。',
  notFoundTitle: '未找到订单',
  notFound: '找不到此订单。',
  busyTitle: '请稍后再试',
  busy: '当前付款金额已满，请稍后再试。',
  chosenTitle: '已选择付款方式',
  chosen: '此订单已选择了另一种付款方式。',
  back: '返回付款页',
};

export type CheckoutTexts = typeof zh;

const en: CheckoutTexts = {
  htmlLang: 'en',
  title: 'Payment',
  switchTo: '中文',
  amountLabel: 'Pay exactly',
  amountNote: 'Pay this exact amount, to the fen, or the payment cannot be matched automatically.',
  orderLabel: 'Order number',
  orderNote: 'Put the order number in the payment note.',
  copy: 'Copy',
  copied: 'Copied',
  scan: { alipay: 'Scan with Alipay to pay', wechat: 'Scan with WeChat to pay' },
  scanAny: 'Scan to pay',
  expiresIn: 'Time left',
  forItem: 'Item',
  choose: 'Choose how to pay',
  providerName: { alipay: 'Alipay', wechat: 'WeChat Pay' },
  pending: 'Waiting for your payment… this page updates by itself.',
  paid: 'Paid',
  paidReturning: 'Returning to the shop…',
  returnToShop: 'Back to the shop',
  paidClose: 'You can close this page.',
  expired: 'This order has expired. If you paid, contact the shop.',
  cancelled: 'This order was cancelled.',
  refunded: 'This order was refunded.',
  codeUnavailable: 'This payment method is unavailable; contact the shop.',
  notFoundTitle: 'Order not found',
  notFound: 'There is no such order.',
  busyTitle: 'Try again shortly',
  busy: 'Every payable amount is taken right now; try again shortly.',
  chosenTitle: 'Payment method already chosen',
  chosen: 'Another payment method was already chosen for this order.',
  back: 'Back to the payment page',
};

const catalogues: Record<Language, CheckoutTexts> = { zh, en };

export function checkoutTexts(language: Language): CheckoutTexts {
  return catalogues[language];
}

/** `?lang=en|zh` wins; else Accept-Language's most preferred of zh / en; else Chinese. */
export function checkoutLanguage(lang: string | null, acceptLanguage: string | undefined): Language {
  if (lang === 'en' || lang === 'zh') return lang;
  let best: { language: Language; q: number } | null = null;
  for (const part of (acceptLanguage ?? '').slice(0, 500).split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const language = tag.startsWith('zh') ? 'zh' : tag.startsWith('en') ? 'en' : null;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (language && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { language, q };
  }
  return best?.language ?? 'zh';
}
