// Order numbers: short, random, free of look-alike characters, found case-insensitively inside a payment memo.

/** No 0/O, 1/I/L: a customer copying the number by hand cannot confuse them. */
export const ORDER_NUMBER_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ORDER_NUMBER_LENGTH = 8;

/** `randomIndex(n)` returns an integer in [0, n); injected so tests are deterministic. */
export function newOrderNumber(randomIndex: (n: number) => number): string {
  let orderNo = '';
  for (let i = 0; i < ORDER_NUMBER_LENGTH; i++) {
    orderNo += ORDER_NUMBER_ALPHABET[randomIndex(ORDER_NUMBER_ALPHABET.length)];
  }
  return orderNo;
}

export function isOrderNumber(text: string): boolean {
  return new RegExp(`^[${ORDER_NUMBER_ALPHABET}]{${ORDER_NUMBER_LENGTH}}$`).test(text);
}

/** Normalises what a person typed (full-width letters, lower case) to compare with order numbers. */
export function normaliseForOrderNumbers(text: string): string {
  return text.normalize('NFKC').toUpperCase();
}

/**
 * Every string in the memo that could be an order number: each window of ORDER_NUMBER_LENGTH
 * characters inside a run of alphabet characters (so `充值-k7m3q9xa` and `ORDER2PDX7W4N` both yield it).
 */
export function orderNumberCandidates(memo: string | null): string[] {
  if (!memo) return [];
  const runs = normaliseForOrderNumbers(memo).match(new RegExp(`[${ORDER_NUMBER_ALPHABET}]+`, 'g')) ?? [];
  const candidates = new Set<string>();
  for (const run of runs) {
    for (let start = 0; start + ORDER_NUMBER_LENGTH <= run.length; start++) {
      candidates.add(run.slice(start, start + ORDER_NUMBER_LENGTH));
    }
  }
  return [...candidates];
}
