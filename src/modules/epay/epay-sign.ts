// The EPay (彩虹易支付) signature: the parameters except `sign`, `sign_type` and empty values, sorted by name,
// joined `k=v&k=v` from the strings exactly as received (no re-encoding: `money=10` stays `10`), the
// merchant key appended, MD5, lowercase hex. As Rainbow_Epay includes/lib/Payment.php and BEpusdt
// app/handler/epay/epay.go compute it.
import { createHash, timingSafeEqual } from 'node:crypto';

export type EpayParams = ReadonlyArray<readonly [string, string]>;

/** The string that is signed, before the key. */
export function epaySignedString(params: EpayParams): string {
  return params
    .filter(([name, value]) => name !== 'sign' && name !== 'sign_type' && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function epaySign(params: EpayParams, key: string): string {
  return createHash('md5')
    .update(epaySignedString(params) + key, 'utf8')
    .digest('hex');
}

/** Whether `sign` is the parameters' signature under `key` (compared in constant time, case-insensitively). */
export function epaySignatureValid(params: EpayParams, key: string): boolean {
  const sent = params.find(([name]) => name === 'sign')?.[1]?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{32}$/.test(sent)) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(epaySign(params, key)));
}
