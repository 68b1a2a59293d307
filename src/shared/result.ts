// Tagged results and the exhaustiveness guard used across the domain.
export type Failure<Code extends string> = { ok: false; code: Code };

export function fail<Code extends string>(code: Code): Failure<Code> {
  return { ok: false, code };
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
