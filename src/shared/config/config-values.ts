// The value shapes every configuration section reads its variables with. Messages say "expected …";
// parseConfig adds what was found (`got "…"`) to each, secrets excepted.
import { z } from 'zod';

export const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected ${values.slice(0, -1).join(', ')} or ${values.at(-1)}` });
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false (or 1/0, yes/no)' })
  .transform((v) => ['true', '1', 'yes'].includes(v));
export const int = (min: number, max: number, what = 'a whole number') =>
  z
    .string()
    .regex(/^\d{1,16}$/, `expected ${what} ${min}–${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected ${what} ${min}–${max}`);
export const text = (expected: string) => z.string().refine((v) => v.trim() !== '', `expected ${expected}`);
