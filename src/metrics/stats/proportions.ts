/**
 * Proportions with 95% intervals: Wilson and Clopper-Pearson for a plain count, and a
 * weighted (audit-sample) estimate for rates such as the false-accept rate, where each
 * audited case stands for 1/sampling_rate cases. Formulas and sources: docs/stats-drift.md.
 */
import { onFirstCall } from './lazy.js';
import type betaQuantileFn from '@stdlib/stats-base-dists-beta-quantile';
import type normalQuantileFn from '@stdlib/stats-base-dists-normal-quantile';
import { StatsInputError } from './drift/types.js';
const betaQuantile = onFirstCall<typeof betaQuantileFn>('@stdlib/stats-base-dists-beta-quantile');
const normalQuantile = onFirstCall<typeof normalQuantileFn>('@stdlib/stats-base-dists-normal-quantile');

export interface ProportionInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  readonly confidence: number;
}

/** Sums over the audited cases of weight w = 1/sampling_rate and outcome y in {0, 1}. */
export interface WeightSums {
  /** Audited cases. */
  readonly n: number;
  readonly sumW: number;
  readonly sumWy: number;
  readonly sumW2: number;
}

export interface HajekEstimate {
  /** sum(w y) / sum(w); null without audits. */
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
  /** Kish's effective sample size (sum w)^2 / sum(w^2); 0 without audits. */
  readonly nEff: number;
  /** sum w: the cases the audits stand for. */
  readonly weightedN: number;
  /** sum w y: the Horvitz-Thompson estimate of the number of positive cases. */
  readonly weightedPositives: number;
  readonly confidence: number;
}

function checkConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsInputError('confidence', `got ${confidence}`, 'a level in (0, 1), e.g. 0.95');
  }
  return confidence === 0.95 ? Z_95 : normalQuantile(0.5 + 0.5 * confidence, 0, 1);
}

/**
 * The normal quantile at 0.975 as @stdlib's computes it (to the bit, which the unit test checks):
 * every rate of a report asks for this one value, and loading that package for it cost ~40 ms
 * (more under load) of the report's start.
 */
export const Z_95 = 1.9599639845400538;

function checkCounts(successes: number, n: number): void {
  // like scipy's binomtest: no interval without trials (callers report "no data" themselves)
  if (!Number.isInteger(n) || n < 1) throw new StatsInputError('n', `got ${n}`, 'an integer >= 1');
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new StatsInputError('successes', `got ${successes} of ${n}`, 'an integer in [0, n]');
  }
}

/**
 * Wilson score bounds in Newcombe's (1998) form as scipy's binomtest writes it; the bound at
 * p = 0 or p = 1 is pinned so rounding cannot push it past the end.
 */
function wilsonBounds(p: number, n: number, z: number): [number, number] {
  const denom = 2 * (n + z ** 2);
  const center = (2 * n * p + z ** 2) / denom;
  const delta = (z / denom) * Math.sqrt(4 * n * p * (1 - p) + z ** 2);
  return [p === 0 ? 0 : center - delta, p === 1 ? 1 : center + delta];
}

/** = scipy binomtest(k, n).proportion_ci('wilson') = statsmodels proportion_confint(method='wilson'). */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  const z = checkConfidence(confidence);
  checkCounts(successes, n);
  const p = successes / n;
  const [lower, upper] = wilsonBounds(p, n, z);
  return { estimate: p, lower, upper, n, confidence };
}

/** = scipy binomtest(k, n).proportion_ci('exact') = statsmodels proportion_confint(method='beta'). */
export function clopperPearsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  checkConfidence(confidence);
  checkCounts(successes, n);
  const tail = (1 - confidence) / 2;
  const lower = successes === 0 ? 0 : betaQuantile(tail, successes, n - successes + 1);
  // beta.isf(tail, k+1, n-k) by the reflection I_x(a,b) = 1 - I_{1-x}(b,a)
  const upper = successes === n ? 1 : 1 - betaQuantile(tail, n - successes, successes + 1);
  return { estimate: successes / n, lower, upper, n, confidence };
}

export function weightSumsFromCases(cases: readonly { readonly weight: number; readonly y: number }[]): WeightSums {
  let sumW = 0;
  let sumWy = 0;
  let sumW2 = 0;
  cases.forEach(({ weight, y }, i) => {
    if (!(weight > 0 && Number.isFinite(weight))) throw new StatsInputError(`cases[${i}].weight`, `got ${weight}`, 'a finite weight > 0');
    if (y !== 0 && y !== 1) throw new StatsInputError(`cases[${i}].y`, `got ${y}`, '0 or 1');
    sumW += weight;
    sumWy += weight * y;
    sumW2 += weight * weight;
  });
  return { n: cases.length, sumW, sumWy, sumW2 };
}

/** Per stratum (one sampling rate): audited cases, of which positives; w = 1/rate. */
export function weightSumsFromStrata(
  strata: readonly { readonly sampling_rate: number; readonly audited: number; readonly positives: number }[],
): WeightSums {
  let n = 0;
  let sumW = 0;
  let sumWy = 0;
  let sumW2 = 0;
  strata.forEach(({ sampling_rate: rate, audited, positives }, i) => {
    if (!(rate > 0 && rate <= 1)) throw new StatsInputError(`strata[${i}].sampling_rate`, `got ${rate}`, 'a rate in (0, 1]');
    checkCounts(positives, audited);
    const w = 1 / rate;
    n += audited;
    sumW += audited * w;
    sumWy += positives * w;
    sumW2 += audited * w * w;
  });
  return { n, sumW, sumWy, sumW2 };
}

/**
 * Hájek estimate sum(w y) / sum(w) with a Wilson interval at Kish's effective sample size
 * n_eff = (sum w)^2 / sum(w^2), i.e. the interval of a simple random sample as informative
 * as this unequally weighted one (Kish 1965).
 */
export function hajekProportion(sums: WeightSums, confidence = 0.95): HajekEstimate {
  const z = checkConfidence(confidence);
  const { n, sumW, sumWy, sumW2 } = sums;
  if (!Number.isInteger(n) || n < 0) throw new StatsInputError('sums.n', `got ${n}`, 'an integer >= 0');
  if (!(sumW >= 0 && sumW2 >= 0 && Number.isFinite(sumW) && Number.isFinite(sumW2))) {
    throw new StatsInputError('sums', `sumW ${sumW}, sumW2 ${sumW2}`, 'finite sums >= 0');
  }
  // a little slack: SQL sums the two columns separately, in no fixed order
  if (!(sumWy >= 0 && sumWy <= sumW * (1 + 1e-12))) {
    throw new StatsInputError('sums.sumWy', `got ${sumWy} with sumW ${sumW}`, 'a value in [0, sumW]');
  }
  const base = { n, weightedN: sumW, weightedPositives: sumWy, confidence };
  if (n === 0 || sumW === 0) return { ...base, value: null, lower: null, upper: null, nEff: 0 };
  const value = Math.min(sumWy / sumW, 1);
  const nEff = (sumW * sumW) / sumW2;
  const [lower, upper] = wilsonBounds(value, nEff, z);
  return { ...base, value, lower, upper, nEff };
}
