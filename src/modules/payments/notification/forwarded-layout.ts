// The layout a forwarder app (SmsForwarder and the like) mails a phone notification in, read back into its parts.

/**
 * One phone notification: the app's package, the notification's title and its text lines. The title is
 * set by the app (a service account: 收款通知, 微信支付); the text holds what the payer wrote too
 * (nickname, memo), so a rule reads its amount from the text's own fields, never from the title's place.
 */
export interface ForwardedNotification {
  packageName: string | null;
  title: string;
  /** The notification text, one entry a line, blank lines dropped; the first is its headline. */
  text: string[];
  /** The forwarder's own time-stamp line, when present. */
  timeLine: string | null;
}

const UID_LINE = /^uid *: *\S*$/iu;
const PACKAGE_LINE = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/iu;
const TIME_LINE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]+\d{1,2}:\d{2}(?::\d{2})?$/u;
/** `[4条]微信支付: …` — Android's stack of several notifications of one sender. Bounded: no backtracking. */
const STACKED = /^\[\d{1,4}条\] *([^:\n]{1,64}) *: *(.*)$/u;
/** A stack's summary may carry the app's own name as its title; the sender in the text is the real one. */
const APP_GROUP_TITLES = new Set(['微信', '支付宝']);

/**
 * Reads the default forwarder layout: package line, text lines, title line, `UID:` line, time line,
 * device line — the title is the line above the **last** `UID:` line (text cannot put a line below it).
 * Lines above the package line (a forwarding wrapper's headers) are not part of the notification.
 * Null when the mail is not in this layout.
 */
export function readForwardedLayout(lines: readonly string[]): ForwardedNotification | null {
  const nonBlank = lines.map((line) => line.trim()).filter(Boolean);
  let uidAt = -1;
  for (let i = nonBlank.length - 1; i >= 0 && uidAt < 0; i--) if (UID_LINE.test(nonBlank[i] ?? '')) uidAt = i;
  const titleAt = uidAt - 1;
  const packageAt = nonBlank.slice(0, Math.max(titleAt, 0)).findIndex((line) => PACKAGE_LINE.test(line));
  const text = nonBlank.slice(packageAt + 1, titleAt);
  const title = nonBlank[titleAt];
  if (title === undefined || text.length === 0) return null;
  const next = nonBlank[uidAt + 1];
  const layout = {
    packageName: packageAt >= 0 ? (nonBlank[packageAt] ?? null) : null,
    title,
    text,
    timeLine: next !== undefined && TIME_LINE.test(next) ? next : null,
  };
  return unstacked(layout);
}

/**
 * A stack `[N条]X: text` is X's notification when its title is X or the bare app name; under any other
 * title (a chat) the prefix is only text someone typed, and the title stays.
 */
function unstacked(layout: ForwardedNotification): ForwardedNotification {
  const [headline = '', ...rest] = layout.text;
  const stacked = STACKED.exec(headline);
  const sender = stacked?.[1]?.trim();
  if (!stacked || !sender || (sender !== layout.title && !APP_GROUP_TITLES.has(layout.title))) return layout;
  const text = [stacked[2] ?? '', ...rest].filter(Boolean);
  return text.length ? { ...layout, title: sender, text } : layout;
}
