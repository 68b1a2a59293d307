// A bot's commands as data: the one list both the /help text and the Telegram command menu are made from.

export interface CommandEntry {
  /** Without the slash; Telegram allows a–z, 0–9 and _ (at most 32). */
  command: string;
  /** What follows the command in /help, e.g. `ORDERNO [reason]`. */
  args?: string;
  description: string;
}

/** One /help line per entry: `/refund ORDERNO [reason] — refund a paid order`. */
export function helpLines(entries: readonly CommandEntry[]): string[] {
  return entries.map((e) => `/${e.command}${e.args ? ` ${e.args}` : ''} — ${e.description}`);
}

/** The menu Telegram shows: each command once, with its first entry's description. */
export function menuOf(entries: readonly CommandEntry[]): Array<{ command: string; description: string }> {
  const seen = new Set<string>();
  return entries.flatMap((e) => {
    if (seen.has(e.command)) return [];
    seen.add(e.command);
    return [{ command: e.command, description: e.description }];
  });
}
