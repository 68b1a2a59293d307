// The notification rules in force: the operator's PARSE_RULES_FILE (tried first) and then the built-ins.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { builtInRules, type NotificationRule, notificationRulesSchema } from './rules.ts';

export type RulesResult = { ok: true; rules: NotificationRule[] } | { ok: false; problems: string[] };

export function loadParseRules(file: string | undefined): RulesResult {
  if (!file) return { ok: true, rules: builtInRules };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`PARSE_RULES_FILE: cannot read ${file} as JSON: ${reason}`] };
  }
  const parsed = notificationRulesSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (issue) => `PARSE_RULES_FILE: ${file} ${formatPath(issue.path)}: ${issue.message}`,
      ),
    };
  }
  const ids = new Set(builtInRules.map((rule) => rule.id));
  const clash = parsed.data.find((rule) => ids.has(rule.id));
  if (clash)
    return { ok: false, problems: [`PARSE_RULES_FILE: rule id "${clash.id}" is a built-in rule's id`] };
  return { ok: true, rules: [...parsed.data, ...builtInRules] };
}

function formatPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : z.core.toDotPath(path as (string | number)[]);
}
