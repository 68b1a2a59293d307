// Turns a rule's regular-expression source into a RegExp: placeholders expanded, NFKC like the text.

/**
 * Placeholders a rule may use; each captures the field's value as the group named `value`.
 * `{amount}` a yuan number (`1,160.00`); `{datetime}` `yyyy-MM-dd HH:mm(:ss)`; `{value}` the rest of
 * a table cell or line (it stops at two spaces, which separate table cells after HTML conversion).
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  '{amount}': '(?<value>\\d[\\d,]*(?:\\.\\d+)?)',
  '{datetime}': '(?<value>\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}日?[ T]*\\d{1,2}:\\d{2}(?::\\d{2})?)',
  '{value}': '(?<value>\\S(?:[^\\n]*?\\S)?)(?= {2,}|$)',
};

/**
 * Case-insensitive, multi-line (`^`/`$` per line), Unicode, with match indices (`d`: where a value was
 * found, so it can be cut out). Throws SyntaxError on a bad pattern.
 */
export function compilePattern(source: string, global = false): RegExp {
  let expanded = source.normalize('NFKC');
  for (const [name, regex] of Object.entries(PLACEHOLDERS)) expanded = expanded.split(name).join(regex);
  return new RegExp(expanded, global ? 'dgimu' : 'dimu');
}

/** Where a field pattern's value lies in the text it matched: `[start, end)`. */
export function capturedRange(match: RegExpExecArray): [number, number] | undefined {
  return match.indices?.groups?.value ?? match.indices?.[1];
}

/** A field pattern's value: the group named `value`, else group 1. */
export function capturedValue(match: RegExpExecArray): string | undefined {
  return match.groups?.value ?? match[1];
}

/** How many capture groups a pattern has (an empty alternative makes every pattern match ''). */
export function captureGroupCount(source: string): number {
  return (new RegExp(`${compilePattern(source).source}|`, 'u').exec('')?.length ?? 1) - 1;
}
