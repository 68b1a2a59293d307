// Decodes a raw message (charsets, transfer encodings, RFC 2047) into normalised plain-text fields.
import { compile } from 'html-to-text';
import { type AddressObject, simpleParser } from 'mailparser';
import { normaliseLine, normaliseText, withoutNul } from '../../payments/notification/normalise-text.ts';

export type DecodedMail = {
  /** As in the header, angle brackets included. */
  messageId: string | null;
  from: Array<{ address: string; name: string }>;
  /** The To addresses, lower case. */
  to: string[];
  /** Headers the parse reads that appear more than once: the parse and the signature may see different ones. */
  repeatedHeaders: Array<{ name: string; count: number }>;
  subject: string;
  /** The text part; the converted HTML when the mail has no text part. */
  text: string;
  /** The HTML part as text lines ('' without one); it can differ from a multipart/alternative's text part. */
  htmlText: string;
  /** Null when the header is missing or unreadable (mailparser would put "now" there). */
  date: Date | null;
};

/** Cells of a table row stay apart on one line; `<br>`, `<p>`, `<div>`, `<tr>` end lines; no wrapping. */
/** html-to-text slows down super-linearly on hostile nesting and wide tables; real notifications are far smaller. */
export const MAX_HTML_CHARS = 64_000;

const convertHtml = compile({
  wordwrap: false,
  selectors: [
    {
      selector: 'table',
      format: 'dataTable',
      options: { uppercaseHeaderCells: false, maxColumnWidth: undefined },
    },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
  ],
});

export function htmlToText(html: string): string {
  try {
    return convertHtml(html.slice(0, MAX_HTML_CHARS));
  } catch {
    // Not seen with real mail; a tag-stripped text still gives the rules something to read.
    return html
      .slice(0, MAX_HTML_CHARS)
      .replace(/<(?:br|\/p|\/div|\/tr)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ' ');
  }
}

/** The last word of a name, when it is a bare or bracketed address; anchored at both ends, so linear. */
const ADDRESS_WORD = /^<?([^\s<>"@]+@[^\s<>"@]+)>?$/;
const MAX_NAME_CHARS = 1_000;

/** `Name <a@b.c>` or `a@b.c` inside a display name → [name, address]; null otherwise. */
function addressInName(name: string): [string, string] | null {
  if (name.length > MAX_NAME_CHARS) return null;
  const trimmed = name.trimEnd();
  const cut = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('<') - 1);
  const word = ADDRESS_WORD.exec(trimmed.slice(cut + 1));
  return word ? [trimmed.slice(0, cut + 1).trim(), word[1] ?? ''] : null;
}

/**
 * Senders that encode the whole `Name <address>` as one RFC 2047 word (Alipay's receipts do) reach
 * us with an empty address and the address inside the name; take it back out.
 */
function addresses(header: AddressObject | AddressObject[] | undefined): DecodedMail['from'] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const flat = objects
    .flatMap((object) => object.value)
    .flatMap((entry) => (entry.group ? entry.group : [entry]));
  return flat.map((entry) => {
    let address = withoutNul(entry.address ?? '');
    let name = normaliseLine(entry.name ?? '');
    const embedded = address ? null : addressInName(name);
    if (embedded) {
      address = embedded[1];
      name = embedded[0].replace(/^"|"$/g, '').trim();
    }
    return { address: address.toLowerCase(), name };
  });
}

/**
 * Headers whose value the parse reads (mailparser takes the first occurrence) or that shape how the body is
 * read. DKIM verifies the last occurrence it signed (RFC 6376 §5.4.2), so a second one splits the two.
 */
const PARSED_HEADERS = [
  'From',
  'Subject',
  'To',
  'Date',
  'Message-ID',
  'Content-Type',
  'Content-Transfer-Encoding',
] as const;

function repeatedHeaders(lines: ReadonlyArray<{ key: string }>): DecodedMail['repeatedHeaders'] {
  return PARSED_HEADERS.flatMap((name) => {
    const count = lines.filter((line) => line.key === name.toLowerCase()).length;
    return count > 1 ? [{ name, count }] : [];
  });
}

function headerDate(
  lines: ReadonlyArray<{ key: string; line: string }>,
  parsed: Date | undefined,
): Date | null {
  const line = lines.find((header) => header.key === 'date')?.line;
  if (!line || !parsed) return null;
  return Number.isNaN(
    new Date(
      line
        .slice(line.indexOf(':') + 1)
        .replace(/\s+/g, ' ')
        .trim(),
    ).getTime(),
  )
    ? null
    : parsed;
}

/** Only what we read: no links, no HTML made from text; HTML is turned into text by `htmlToText`. */
export const PARSER_OPTIONS = {
  skipImageLinks: true,
  skipTextLinks: true,
  skipTextToHtml: true,
  skipHtmlToText: true,
} as const;

/** Throws only what simpleParser throws; the caller records such a message as undecodable. */
export async function decodeMail(raw: Buffer): Promise<DecodedMail> {
  const mail = await simpleParser(raw, PARSER_OPTIONS);
  const htmlText = typeof mail.html === 'string' && mail.html ? normaliseText(htmlToText(mail.html)) : '';
  const text = normaliseText(mail.text ?? '');
  return {
    messageId: withoutNul(mail.messageId ?? '').trim() || null,
    from: addresses(mail.from),
    to: addresses(mail.to).map((entry) => entry.address),
    repeatedHeaders: repeatedHeaders(mail.headerLines),
    subject: normaliseLine(mail.subject ?? ''),
    text: text || htmlText,
    htmlText,
    date: headerDate(mail.headerLines, mail.date),
  };
}
