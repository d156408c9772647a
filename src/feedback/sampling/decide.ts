import { createHash } from 'node:crypto';

/**
 * Consistent probability sampling, after OpenTelemetry's TraceIdRatioBased sampler as the
 * W3C trace-context "random" flag and OTel's tracestate `th` threshold specify it: a 56-bit
 * randomness value R per case and a rejection threshold T = (1 - rate) * 2^56; the case is
 * sampled when R >= T. R depends on the case id alone and T falls as the rate rises, so a
 * higher rate samples a superset of what a lower one did, and every caller, at any time, gets
 * the same answer for the same case and rate. Trace ids carry their randomness; case ids do
 * not, so R is the first 56 bits of SHA-256(case_id).
 */
export const RANDOMNESS_BITS = 56;
const SPAN = 2n ** 56n;

/** The case's 56-bit randomness value: the first 7 bytes of SHA-256 of its id, big-endian. */
export function caseRandomness(caseId: string): bigint {
  const digest = createHash('sha256').update(caseId, 'utf8').digest();
  let r = 0n;
  for (let i = 0; i < 7; i++) r = (r << 8n) | BigInt(digest[i]);
  return r;
}

/**
 * The rejection threshold of a rate in [0, 1]: 0 samples everything, 2^56 nothing. Rounded up,
 * so the sampled share never exceeds the rate; (1 - rate) * 2^56 only rescales a double, so it
 * is monotone in the rate.
 */
export function rejectionThreshold(rate: number): bigint {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sampling rate must be within [0, 1], got ${rate}`);
  return BigInt(Math.ceil((1 - rate) * 2 ** RANDOMNESS_BITS));
}

/** The share of all randomness values a threshold samples: the rate actually in force. */
export function thresholdRate(threshold: bigint): number {
  return Number(SPAN - threshold) / 2 ** RANDOMNESS_BITS;
}

/** Sample the case at this rate? Deterministic, and monotone in the rate. */
export function decide(caseId: string, rate: number): boolean {
  return caseRandomness(caseId) >= rejectionThreshold(rate);
}
