// Judges mailauth's DKIM results against the decoded From: a signature counts only when it passes, aligns
// (relaxed, as DMARC defines it), covers the whole body and signs the headers the parse reads.
import { getAlignment } from 'mailauth/lib/tools.js';

/** The parts of a mailauth 4.13 `dkimVerify` result read here. */
export interface DkimResult {
  signingDomain?: string;
  /** `keys`: the header fields the signature covers (h=, as found in the message), `: `-separated. */
  signingHeaders?: { keys?: string };
  status?: { result?: string; comment?: string | false; underSized?: number };
}

export type SignatureVerdict =
  | { verdict: 'pass'; detail: string }
  | { verdict: 'fail'; detail: string }
  | { verdict: 'temperror'; detail: string };

const HEADER_NAMES: Record<string, string> = { from: 'From', subject: 'Subject', to: 'To' };

/** Why a verifying signature still does not bind what is parsed; empty when it does. */
function bindingProblems(result: DkimResult, mustSign: readonly string[]): string[] {
  const problems: string[] = [];
  const underSized = result.status?.underSized ?? 0;
  if (underSized > 0) problems.push(`l= leaves ${underSized} bytes of the body unsigned`);
  const signed = new Set(
    (result.signingHeaders?.keys ?? '').split(':').map((key) => key.trim().toLowerCase()),
  );
  for (const name of mustSign) {
    if (!signed.has(name)) problems.push(`does not sign ${HEADER_NAMES[name] ?? name}`);
  }
  return problems;
}

export function judgeSignatures(
  results: readonly DkimResult[],
  wanted: { fromDomain: string; mustSign: readonly string[] },
): SignatureVerdict {
  const judged = results.map((result) => {
    const domain = result.signingDomain ?? '?';
    const aligned = Boolean(result.signingDomain && getAlignment(wanted.fromDomain, [result.signingDomain]));
    const outcome = result.status?.result ?? 'none';
    const problems = outcome === 'pass' && aligned ? bindingProblems(result, wanted.mustSign) : [];
    const comment = result.status?.comment ? ` (${result.status.comment})` : '';
    // An unaligned signature's key is never looked up (it could not credit), so its outcome says nothing.
    const summary =
      aligned || !result.signingDomain
        ? `d=${domain} ${outcome}${comment}${problems.map((p) => ` (${p})`).join('')}`
        : `d=${domain} does not align with ${wanted.fromDomain}`;
    return { domain, aligned, outcome, accepted: outcome === 'pass' && aligned && !problems.length, summary };
  });
  const accepted = judged.find((signature) => signature.accepted);
  if (accepted) return { verdict: 'pass', detail: `dkim=pass d=${accepted.domain}` };
  const summary = judged.map((signature) => signature.summary).join('; ');
  // Only an aligned signature could have credited: only its look-up failure is worth waiting for.
  if (judged.some((signature) => signature.aligned && signature.outcome === 'temperror')) {
    return { verdict: 'temperror', detail: summary };
  }
  return {
    verdict: 'fail',
    detail: summary ? `no aligned passing DKIM signature: ${summary}` : 'no DKIM signature',
  };
}
