// mailauth 4.13 ships no types for its deep modules.
declare module 'mailauth/lib/dkim/verify.js' {
  export function dkimVerify(
    input: Buffer | string,
    options?: { resolver?: (name: string, rrtype: string) => Promise<unknown> },
  ): Promise<unknown>;
}

declare module 'mailauth/lib/tools.js' {
  /** Relaxed (organizational domain) alignment of `fromDomain` with one of `domains`; false when none aligns. */
  export function getAlignment(fromDomain: string, domains: string[], strict?: boolean): unknown;
}
