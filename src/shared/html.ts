// HTML for Telegram messages (parse_mode HTML): text from e-mails and users is always escaped.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
export const bold = (text: string) => `<b>${escapeHtml(text)}</b>`;
