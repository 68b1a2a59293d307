// Telegram refuses a text over 4,096 characters or a caption over 1,024 (counted after HTML parsing): fields from
// mails and users are clipped before they are put into a message, and every message is fitted as a last resort.

import { assertNever } from '../../shared/result.ts';
import type { OutboxMessage } from '../outbox/outbox-message.ts';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const ELLIPSIS = '…';

/** How long a field from a mail or a user may be in a message (before HTML escaping). */
export const FIELD_LIMITS = { name: 64, memo: 256, subject: 200, snippet: 300, error: 300 } as const;

/** Plain text cut to at most `max` characters (code points, never half a pair), with a visible ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}${ELLIPSIS}`;
}

const TOKEN = /<\/?([a-z][\w-]*)[^>]*>|&(?:#x[0-9a-f]+|#\d+|[a-z]+);|[\s\S]/giu;

/**
 * Telegram HTML cut so that its visible text is at most `limit` UTF-16 units, ending in an ellipsis. Never cuts
 * inside a tag or an entity; tags left open are closed, so the result still parses.
 */
export function fitHtml(html: string, limit: number): string {
  if (html.length <= limit) return html; // the visible text is never longer than its HTML
  const open: string[] = [];
  let visible = 0;
  let out = '';
  for (const match of html.matchAll(TOKEN)) {
    const [token, tag] = match;
    if (tag) {
      if (token.startsWith('</')) open.pop();
      else open.push(tag);
      out += token;
      continue;
    }
    // A numeric entity may stand for a character outside the BMP (two units): count it so.
    const units = token.startsWith('&#') ? 2 : token.startsWith('&') ? 1 : token.length;
    if (visible + units > limit - ELLIPSIS.length) break;
    visible += units;
    out += token;
  }
  return `${out}${ELLIPSIS}${open
    .reverse()
    .map((tag) => `</${tag}>`)
    .join('')}`;
}

/** The message with its text or caption within Telegram's limits. */
export function fitMessage(message: OutboxMessage): OutboxMessage {
  switch (message.method) {
    case 'sendMessage':
    case 'editMessageText':
      return { ...message, text: fitHtml(message.text, TEXT_LIMIT) };
    case 'sendPhoto':
    case 'editMessageCaption':
      return { ...message, caption: fitHtml(message.caption, CAPTION_LIMIT) };
    default:
      return assertNever(message);
  }
}
