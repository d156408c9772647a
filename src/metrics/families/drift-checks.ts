import {
  binomialCusum,
  chiSquareHomogeneity,
  jensenShannon,
  ksTwoSample,
  psiCategorical,
  psiNumeric,
  twoProportionZTest,
  wasserstein,
  type DriftResult,
  type RateCounts,
  type WeightedSample,
} from '../stats/drift/index.js';
import type { DriftConfig } from '../../config/drift.js';

/** One hour of the current window: the CUSUM's observation. */
export interface HourCounts {
  at: Date;
  override: RateCounts;
  escalation: RateCounts;
}

/** One window's aggregates for one group, as the drift queries return them. */
export interface WindowCounts {
  cases: number;
  confidence: Map<number, number>;
  labels: Map<string, number>;
  lanes: Map<string, number>;
  /** feature key → value → cases */
  numeric: Map<string, Map<number, number>>;
  categorical: Map<string, Map<string, number>>;
  override: RateCounts;
  escalation: RateCounts;
  hours: HourCounts[];
}

/** Every check reads the same; `reason` says why a check has no statistic or does not judge it. */
export type Check<E = unknown> = {
  statistic: number | null;
  pvalue: number | null;
  n_ref: number;
  n_cur: number;
  threshold: number;
  drifted: boolean;
  reason: string | null;
} & E;

export type NumericChecks = {
  ks: Check<{ method: 'exact' | 'asymp' | null }>;
  psi: Check<{ bins: number }>;
  wasserstein: Check<{ normed: number | null; ref_std: number | null }>;
};
export type CategoricalChecks = {
  chi_square: Check<{ dof: number | null }>;
  psi: Check;
  jensen_shannon: Check<{ base: number }>;
};
export type RateChecks = {
  two_proportion: Check<{ alternative: string; rate_ref: number | null; rate_cur: number | null }>;
  cusum: Check<{ p0: number | null; k: number; buckets: number; signal_at: string | null; onset_at: string | null }>;
};
export type FeatureChecks = ({ kind: 'numeric' } & NumericChecks) | ({ kind: 'categorical' } & CategoricalChecks);

export type DriftChecks = {
  confidence: NumericChecks;
  labels: CategoricalChecks;
  lanes: CategoricalChecks;
  features: Record<string, FeatureChecks>;
  /** Present only when the group had more feature keys than metrics.cardinality.featureKeys. */
  features_capped?: FeaturesCapped;
  rates: { override: RateChecks; escalation: RateChecks };
};

/** The feature keys beyond the cap are not tested (docs/metrics.md#label-cardinality). */
export type FeaturesCapped = { limit: number; keys: number; tested: number; not_tested: number };

export function driftChecks(settings: DriftConfig, ref: WindowCounts, cur: WindowCounts, featureCap = Infinity): DriftChecks {
  const { minSamples } = settings;
  const thresholds = settings.thresholds;
  // a handful of cases moves PSI a lot: show the statistic, but judge only from minSamples on
  const judge = <E>(r: DriftResult, extra: E, refOnly = false): Check<E> => {
    const few = r.statistic !== null && (r.n_ref < minSamples || (!refOnly && r.n_cur < minSamples));
    const reason = few ? `fewer than ${minSamples} observations (metrics.drift.minSamples): shown, not judged` : (r.reason ?? null);
    return { statistic: r.statistic, pvalue: r.pvalue, n_ref: r.n_ref, n_cur: r.n_cur, threshold: r.threshold, drifted: r.drifted && !few, reason, ...extra };
  };
  const numeric = (a: Map<number, number>, b: Map<number, number>): NumericChecks => {
    const [x, y] = [sample(a), sample(b)];
    const ks = ksTwoSample(x, y, { thresholds });
    const psi = psiNumeric(x, y, { ...settings.psi, thresholds });
    const w = wasserstein(x, y, { thresholds });
    return { ks: judge(ks, { method: ks.method }), psi: judge(psi, { bins: psi.bins.length }), wasserstein: judge(w, { normed: w.normed, ref_std: w.ref_std }) };
  };
  const categorical = (a: Map<string, number>, b: Map<string, number>): CategoricalChecks => {
    const chi = chiSquareHomogeneity(a, b, { thresholds });
    const js = jensenShannon(a, b, { thresholds });
    return { chi_square: judge(chi, { dof: chi.dof }), psi: judge(psiCategorical(a, b, { epsilon: settings.psi.epsilon, thresholds }), {}), jensen_shannon: judge(js, { base: js.base }) };
  };
  const rate = (pick: (c: { override: RateCounts; escalation: RateCounts }) => RateCounts): RateChecks => {
    const z = twoProportionZTest(pick(ref), pick(cur), { alternative: settings.rateAlternative, thresholds });
    const cusum = binomialCusum(pick(ref), cur.hours.map(pick), settings.cusum);
    const hour = (i: number | null) => (i === null ? null : cur.hours[i].at.toISOString());
    return {
      two_proportion: judge(z, { alternative: z.alternative, rate_ref: z.rate_ref, rate_cur: z.rate_cur }),
      // the CUSUM is for early warning on few current cases; only its p0 needs a full reference
      cusum: judge(cusum, { p0: cusum.p0, k: cusum.k, buckets: cur.hours.length, signal_at: hour(cusum.signal_index), onset_at: hour(cusum.onset_index) }, true),
    };
  };

  const features: Record<string, FeatureChecks> = {};
  const { keys, capped } = testedKeys(ref, cur, featureCap);
  for (const key of keys) {
    // a key with any string value is categorical throughout: its numbers become categories
    if (ref.categorical.has(key) || cur.categorical.has(key)) features[key] = { kind: 'categorical', ...categorical(categories(ref, key), categories(cur, key)) };
    else features[key] = { kind: 'numeric', ...numeric(ref.numeric.get(key) ?? new Map(), cur.numeric.get(key) ?? new Map()) };
  }
  return {
    confidence: numeric(ref.confidence, cur.confidence),
    labels: categorical(ref.labels, cur.labels),
    lanes: categorical(ref.lanes, cur.lanes),
    features,
    ...(capped ? { features_capped: capped } : {}),
    rates: { override: rate((c) => c.override), escalation: rate((c) => c.escalation) },
  };
}

/**
 * The feature keys to test: all of them up to the cap, else the most frequent (observations in
 * both windows; ties by name), so thousands of keys cost neither thousands of tests nor output.
 */
function testedKeys(ref: WindowCounts, cur: WindowCounts, cap: number): { keys: string[]; capped?: FeaturesCapped } {
  const seen = new Map<string, number>();
  for (const c of [ref, cur]) {
    for (const m of [c.numeric, c.categorical] as Map<string, Map<unknown, number>>[]) {
      for (const [key, values] of m) {
        let n = seen.get(key) ?? 0;
        for (const count of values.values()) n += count;
        seen.set(key, n);
      }
    }
  }
  const all = [...seen.keys()].sort();
  if (all.length <= cap) return { keys: all };
  const kept = [...seen].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, cap).map(([k]) => k).sort();
  return { keys: kept, capped: { limit: cap, keys: all.length, tested: kept.length, not_tested: all.length - kept.length } };
}

function sample(m: Map<number, number>): WeightedSample {
  return { values: [...m.keys()], counts: [...m.values()] };
}

function categories(c: WindowCounts, key: string): Map<string, number> {
  const out = new Map(c.categorical.get(key) ?? []);
  for (const [v, n] of c.numeric.get(key) ?? []) out.set(String(v), (out.get(String(v)) ?? 0) + n);
  return out;
}
