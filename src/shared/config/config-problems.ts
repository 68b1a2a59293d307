// The words an operator reads when the configuration stops start-up: every problem, and what to do first.

/** The message printed (to stderr) instead of starting; `problems` are "NAME: what is wrong" lines. */
export function describeConfigProblems(problems: readonly string[]): string {
  const lines = ['mailpay cannot start; fix the configuration:', ...problems.map((p) => `  - ${p}`)];
  if (problems.some((problem) => problem.endsWith(': is required'))) {
    lines.push('Required variables are missing: copy .env.example to .env and fill them in.');
  }
  return `${lines.join('\n')}\n`;
}
