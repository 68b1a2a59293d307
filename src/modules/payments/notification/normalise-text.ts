// Text normalisation shared by the mail decoder and the notification parser, so rules see one form.

const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const ODD_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

/**
 * NFKC (full-width digits, `：`, `，`, `￥` become ASCII `:` `,` `¥`), LF line ends, plain spaces,
 * lines trimmed, at most one blank line in a row. A tab becomes two spaces so it still separates
 * table cells the way html-to-text's column padding does.
 */
export function normaliseText(input: string): string {
  // NUL too: PostgreSQL text cannot hold it, and one in a body would make a message unrecordable.
  return withoutNul(input)
    .normalize('NFKC')
    .replace(LINE_BREAKS, '\n')
    .replace(INVISIBLE, '')
    .replace(ODD_SPACES, ' ')
    .replace(/\t/g, '  ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line: NFKC and every run of whitespace as a single space. */
export function normaliseLine(input: string): string {
  return withoutNul(input).normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Removes NUL characters, which PostgreSQL text columns refuse, from a header value we store as is. */
export function withoutNul(input: string): string {
  return input.split('\u0000').join('');
}
