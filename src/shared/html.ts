// HTML for Telegram messages (parse_mode HTML) and the checkout page: text from e-mails, users and shops is
// always escaped.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for an element's text or a quoted attribute's value alike. */
export function escapeHtmlAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
export const bold = (text: string) => `<b>${escapeHtml(text)}</b>`;
