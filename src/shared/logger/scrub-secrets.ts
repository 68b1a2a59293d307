// Cuts secrets out of text bound for a log, a database row or a chat: the configured secrets, any URL password,
// and any Bot API path (`/bot<token>/`, which HTTP client errors quote).

export type Scrub = (text: string) => string;

const URL_PASSWORD = /(\w+:\/\/[^:/@\s]*:)[^@\s]+@/g;
const BOT_API_PATH = /\/bot\d+:[\w-]+/g;
const CENSOR = '[REDACTED]';

export function createScrubber(secrets: ReadonlyArray<string | undefined>): Scrub {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text) => {
    let scrubbed = text.replace(URL_PASSWORD, `$1${CENSOR}@`).replace(BOT_API_PATH, `/bot${CENSOR}`);
    for (const secret of known) scrubbed = scrubbed.split(secret).join(CENSOR);
    return scrubbed;
  };
}

/** Scrubs every string inside a JSON-like value: nested objects and arrays, keys included. */
export function scrubDeep(value: unknown, scrub: Scrub): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrub));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [scrub(key), scrubDeep(item, scrub)]),
    );
  }
  return value;
}
