// Every admin text stays within Telegram's limits however long the mail's or user's fields, and still parses.
import { describe, expect, it } from 'vitest';
import { adminTextsFor } from '../src/modules/notify/admin-language.ts';
import {
  CAPTION_LIMIT,
  clip,
  fitHtml,
  fitMessage,
  TEXT_LIMIT,
} from '../src/modules/telegram/telegram-limits.ts';
import { escapeHtml } from '../src/shared/html.ts';
import { parseHtml } from './support/telegram-double.ts';

const huge = `<&>${'付'.repeat(9000)}😀`;
const visibleLength = (html: string) => parseHtml(html).text.length;

describe('Telegram limits', () => {
  it.each(['zh', 'en'] as const)(
    'clips every mail-derived field of the %s admin texts with a visible ellipsis',
    (language) => {
      const adminTexts = adminTextsFor(language);
      const texts = [
        adminTexts.review({
          paymentId: 1,
          reason: 'unmatched',
          provider: huge,
          amountFen: 100,
          payer: huge,
          memo: huge,
          time: '2026-01-01 00:00:00',
          orderNo: null,
          shop: { pid: huge, outTradeNo: huge },
        }),
        adminTexts.failure({ paymentId: 2, reason: huge, subject: huge, snippet: huge }),
        adminTexts.alarm.unparsedStarted({ subject: huge, count: 3 }),
        adminTexts.deliveryFailed(4, huge),
      ];
      for (const text of texts) {
        expect(visibleLength(text)).toBeLessThan(2_000);
        expect(text).toContain('…');
      }
    },
  );

  it('fits any message to 4,096 characters of text or 1,024 of caption, tags closed, entities whole', () => {
    const html = `<b>${escapeHtml(huge)}</b><code>${escapeHtml(huge)}</code>`;
    const text = fitMessage({ method: 'sendMessage', text: html });
    const caption = fitMessage({ method: 'sendPhoto', photo: 'payee_qr', caption: html });
    if (text.method !== 'sendMessage' || caption.method !== 'sendPhoto') throw new Error('method changed');
    expect(visibleLength(text.text)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(visibleLength(text.text)).toBeGreaterThan(TEXT_LIMIT - 3);
    expect(text.text.endsWith('…</b>')).toBe(true);
    expect(visibleLength(caption.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(parseHtml(caption.caption).text.startsWith('<&>付')).toBe(true);
  });

  it('leaves a message that fits untouched and never splits a surrogate pair', () => {
    expect(fitHtml('<b>¥10.00</b>', TEXT_LIMIT)).toBe('<b>¥10.00</b>');
    expect(clip('😀😀😀', 2)).toBe('😀…');
    const emoji = fitHtml('😀'.repeat(3000), TEXT_LIMIT);
    expect(emoji.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
