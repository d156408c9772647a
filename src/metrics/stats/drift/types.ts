import { DEFAULT_DRIFT_THRESHOLDS } from '../../../config/defaults.js';
import { LoopwatchError } from '../../../errors.js';

/**
 * Inputs that no statistic can be computed from (negative counts, NaN values, arrays of
 * different lengths). These come from our own SQL, so a bad one is a bug to surface, not a
 * data row to drop.
 */
export class StatsInputError extends LoopwatchError {
  constructor(
    readonly field: string,
    problem: string,
    expected: string,
  ) {
    super('stats_input_invalid', `${field}: ${problem}; expected ${expected}`);
    this.name = 'StatsInputError';
  }
}

/**
 * A sample as SQL hands it over: `SELECT value, count(*) ... GROUP BY value`. Counts all 1
 * is raw data. Values need not be sorted or distinct.
 */
export interface WeightedSample {
  readonly values: readonly number[];
  readonly counts: readonly number[];
}

/** Category → count, as `GROUP BY label` gives it. */
export type CategoryCounts = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

/** Successes out of trials, e.g. overrides out of reviews. */
export interface RateCounts {
  readonly successes: number;
  readonly n: number;
}

/**
 * What every drift test returns. `statistic` and `pvalue` are null when the data cannot
 * support the test (`reason` says why); `drifted` is then false.
 */
export interface DriftResult<T extends string = string> {
  readonly test: T;
  readonly statistic: number | null;
  readonly pvalue: number | null;
  readonly n_ref: number;
  readonly n_cur: number;
  /** The threshold the decision used: alpha for tests, a cut-off for distances. */
  readonly threshold: number;
  readonly drifted: boolean;
  readonly reason?: string;
}

export const INSUFFICIENT_DATA = 'insufficient data';

/**
 * Decision thresholds. Sources are in docs/stats-drift.md: alpha is the usual 5%; PSI 0.25
 * is the "significant shift" end of the 0.1/0.25 rule of thumb (Siddiqi 2006); the
 * distances follow Evidently's defaults of 0.1.
 */
export interface DriftThresholds {
  readonly alpha: number;
  readonly psi: number;
  readonly jensenShannon: number;
  readonly wassersteinNormed: number;
}

export const DEFAULT_THRESHOLDS: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS;

export function resolveThresholds(given: Partial<DriftThresholds> | undefined): DriftThresholds {
  const t = { ...DEFAULT_THRESHOLDS, ...given };
  for (const [key, value] of Object.entries(t)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new StatsInputError(`thresholds.${key}`, `got ${value}`, 'a finite number >= 0');
    }
  }
  if (t.alpha >= 1) throw new StatsInputError('thresholds.alpha', `got ${t.alpha}`, 'a number in (0, 1)');
  return t;
}

/** Distinct sorted values with summed counts; zero counts dropped. */
export interface NormalizedSample {
  readonly values: Float64Array;
  readonly counts: Float64Array;
  readonly n: number;
}

export function normalizeSample(sample: WeightedSample, field: string, integerCounts = true): NormalizedSample {
  const { values, counts } = sample;
  if (values.length !== counts.length) {
    throw new StatsInputError(field, `${values.length} values but ${counts.length} counts`, 'one count per value');
  }
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = counts[i];
    if (!Number.isFinite(v)) throw new StatsInputError(`${field}.values[${i}]`, `got ${v}`, 'a finite number');
    if (!Number.isFinite(c) || c < 0 || (integerCounts && !Number.isInteger(c))) {
      throw new StatsInputError(`${field}.counts[${i}]`, `got ${c}`, integerCounts ? 'an integer >= 0' : 'a number >= 0');
    }
    if (c > 0) order.push(i);
  }
  order.sort((a, b) => values[a] - values[b]);
  const outValues: number[] = [];
  const outCounts: number[] = [];
  let n = 0;
  for (const i of order) {
    const last = outValues.length - 1;
    if (last >= 0 && outValues[last] === values[i]) outCounts[last] += counts[i];
    else {
      outValues.push(values[i]);
      outCounts.push(counts[i]);
    }
    n += counts[i];
  }
  return { values: Float64Array.from(outValues), counts: Float64Array.from(outCounts), n };
}

/** Raw observations → a weighted sample (for callers that have events, and for tests). */
export function tally(raw: readonly number[]): WeightedSample {
  const byValue = new Map<number, number>();
  for (const v of raw) byValue.set(v, (byValue.get(v) ?? 0) + 1);
  return { values: [...byValue.keys()], counts: [...byValue.values()] };
}

export function categoryEntries(counts: CategoryCounts, field: string): Map<string, number> {
  const entries = counts instanceof Map ? [...counts.entries()] : Object.entries(counts as Record<string, number>);
  const out = new Map<string, number>();
  for (const [key, c] of entries) {
    if (!Number.isFinite(c) || c < 0 || !Number.isInteger(c)) {
      throw new StatsInputError(`${field}[${JSON.stringify(key)}]`, `got ${c}`, 'an integer count >= 0');
    }
    out.set(key, (out.get(key) ?? 0) + c);
  }
  return out;
}

export function checkRate(r: RateCounts, field: string): void {
  if (!Number.isInteger(r.n) || r.n < 0) throw new StatsInputError(`${field}.n`, `got ${r.n}`, 'an integer >= 0');
  if (!Number.isInteger(r.successes) || r.successes < 0 || r.successes > r.n) {
    throw new StatsInputError(`${field}.successes`, `got ${r.successes} of ${r.n}`, 'an integer in [0, n]');
  }
}
