import { StatsInputError } from './errors.js';
import {
  maybeInterval,
  readCountMatrix,
  readRowWeights,
  rowProfiles,
  type AgreementResult,
  type CoefficientOptions,
  type CountMatrix,
  type CountTable,
  type Prepared,
} from './input.js';

/**
 * Krippendorff's alpha over items × categories counts, missing ratings allowed, following
 * Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability" (coincidence matrix, p. 4-8).
 * Matches fast-krippendorff (`krippendorff.alpha`) and irrCAC's krippen.alpha.raw (nominal).
 */

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface AlphaOptions extends CoefficientOptions {
  level?: AlphaLevel;
  /** Numeric value of each column; required for 'interval' and 'ratio'. Column order is the ordinal order. */
  values?: readonly number[];
}

export interface AlphaResult extends AgreementResult {
  level: AlphaLevel;
  /** n.., the number of pairable values (ratings on items with two or more). */
  pairableValues: number;
  /** D_o = Σ o_ck δ²_ck / n.. */
  observedDisagreement: number | null;
  /** D_e = Σ n_c n_k δ²_ck / (n.. (n.. − 1)). */
  expectedDisagreement: number | null;
}

const DEGENERATE = 1e-12;

/**
 * o_ck = Σ_u n_uc (n_uk − [c = k]) / (m_u − 1) over items u with m_u ≥ 2 values: each item
 * contributes its m_u (m_u − 1) ordered pairs of values, weighted so that it adds m_u in all.
 */
export function coincidenceMatrix(counts: CountMatrix): number[][] {
  const units = pairableUnits(readCountMatrix('counts', counts), undefined);
  const o = new Float64Array(units.cols * units.cols);
  accumulate(units, units.weights, o);
  return Array.from({ length: units.cols }, (_, c) => Array.from(o.subarray(c * units.cols, (c + 1) * units.cols)));
}

/** α = 1 − D_o / D_e = 1 − (n.. − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck. */
export function krippendorffAlpha(counts: CountMatrix, options: AlphaOptions = {}): AlphaResult {
  const { result, resample } = prepareKrippendorffAlpha(counts, options);
  return { ...result, interval: maybeInterval(options, resample.weights, resample.statistic) };
}

/** Alpha but for its interval, and what its bootstrap resamples (see `withIntervals`). */
export function prepareKrippendorffAlpha(counts: CountMatrix, options: AlphaOptions = {}): Prepared<AlphaResult> {
  const level = options.level ?? 'nominal';
  const table = readCountMatrix('counts', counts);
  const k = table.cols;
  const values = checkValues(level, options.values, k);
  const units = pairableUnits(table, readRowWeights(options.rowWeights, table.rows));
  const o = new Float64Array(k * k);
  const marginals = new Float64Array(k);
  const delta = new Float64Array(k * k);
  if (level !== 'ordinal') fixedDelta(level, values, delta, k);

  const statistic = (m: ArrayLike<number>): { value: number | null; n: number; dObs: number; dExp: number } => {
    o.fill(0);
    accumulate(units, m, o);
    marginals.fill(0);
    let n = 0;
    for (let c = 0; c < k; c++) for (let d = 0; d < k; d++) marginals[c] += o[c * k + d];
    for (let c = 0; c < k; c++) n += marginals[c];
    if (n < 2) return { value: null, n, dObs: NaN, dExp: NaN };
    if (level === 'ordinal') ordinalDelta(marginals, delta, k);
    let observed = 0;
    let expected = 0;
    for (let c = 0; c < k; c++) {
      for (let d = 0; d < k; d++) {
        observed += o[c * k + d] * delta[c * k + d];
        expected += marginals[c] * marginals[d] * delta[c * k + d];
      }
    }
    const dObs = observed / n;
    const dExp = expected / (n * (n - 1));
    return { value: dExp <= DEGENERATE * Math.max(1, maxDelta(delta)) ? null : 1 - dObs / dExp, n, dObs, dExp };
  };

  const full = statistic(units.weights);
  return {
    result: {
      value: full.value,
      n: units.count,
      level,
      pairableValues: units.values,
      observedDisagreement: Number.isNaN(full.dObs) ? null : full.dObs,
      expectedDisagreement: Number.isNaN(full.dExp) ? null : full.dExp,
    },
    resample: { weights: units.weights, statistic: (m) => statistic(m).value },
  };
}

/** Distinct items with two or more values, sparse: only their non-zero categories. */
interface PairableUnits {
  cols: number;
  /** Number of items with two or more values. */
  count: number;
  /** Number of values on those items, n.. (counted exactly, not summed from o). */
  values: number;
  /** How many items share each distinct row. */
  weights: number[];
  /** Start of each distinct row's entries in `category`/`size`, plus one past the end. */
  start: Uint32Array;
  category: Uint32Array;
  size: Float64Array;
  /** m_u − 1 per distinct row. */
  pairsPerValue: Float64Array;
}

function pairableUnits(table: CountTable, rowWeights: readonly number[] | undefined): PairableUnits {
  const cols = table.cols;
  // a lone value cannot be paired and does not enter alpha
  const { rows, weights } = rowProfiles(table, (total) => total >= 2, rowWeights);
  const start: number[] = [0];
  const category: number[] = [];
  const size: number[] = [];
  const pairsPerValue: number[] = [];
  for (let u = 0; u < weights.length; u++) {
    let m = 0;
    for (let j = 0; j < cols; j++) {
      const c = rows[u * cols + j];
      m += c;
      if (c > 0) {
        category.push(j);
        size.push(c);
      }
    }
    start.push(category.length);
    pairsPerValue.push(m - 1);
  }
  return {
    cols,
    count: weights.reduce((a, b) => a + b, 0),
    values: pairsPerValue.reduce((sum, p, u) => sum + weights[u] * (p + 1), 0),
    weights,
    start: Uint32Array.from(start),
    category: Uint32Array.from(category),
    size: Float64Array.from(size),
    pairsPerValue: Float64Array.from(pairsPerValue),
  };
}

function accumulate(units: PairableUnits, multiplicity: ArrayLike<number>, o: Float64Array): void {
  const k = units.cols;
  for (let u = 0; u < units.weights.length; u++) {
    const mult = multiplicity[u];
    if (mult === 0) continue;
    const scale = mult / units.pairsPerValue[u];
    for (let a = units.start[u]; a < units.start[u + 1]; a++) {
      const c = units.category[a];
      for (let b = units.start[u]; b < units.start[u + 1]; b++) {
        const d = units.category[b];
        o[c * k + d] += scale * units.size[a] * (a === b ? units.size[a] - 1 : units.size[b]);
      }
    }
  }
}

function checkValues(level: AlphaLevel, values: readonly number[] | undefined, k: number): readonly number[] {
  if (!['nominal', 'ordinal', 'interval', 'ratio'].includes(level)) {
    throw new StatsInputError('level', `got ${String(level)}`, "'nominal', 'ordinal', 'interval' or 'ratio'");
  }
  if (level !== 'interval' && level !== 'ratio') return [];
  if (values === undefined || values.length !== k || !values.every(Number.isFinite)) {
    throw new StatsInputError('values', `got ${values === undefined ? 'none' : `${values.length} values`}`, `the numeric value of each of the ${k} columns`);
  }
  if (level === 'ratio' && values.some((v) => v < 0)) {
    throw new StatsInputError('values', 'holds a negative value', 'values on a ratio scale (≥ 0)');
  }
  return values;
}

/** Squared differences: nominal [c ≠ k], interval (c − k)², ratio ((c − k)/(c + k))² (0 when c + k = 0). */
function fixedDelta(level: AlphaLevel, values: readonly number[], delta: Float64Array, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      if (level === 'nominal') delta[c * k + d] = c === d ? 0 : 1;
      else {
        const diff = values[c] - values[d];
        const sum = values[c] + values[d];
        delta[c * k + d] = level === 'interval' ? diff * diff : sum === 0 ? 0 : (diff / sum) ** 2;
      }
    }
  }
}

/** Ordinal: δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², ranks by the pairable values' marginals. */
function ordinalDelta(marginals: Float64Array, delta: Float64Array, k: number): void {
  for (let c = 0; c < k; c++) {
    let cumulative = 0;
    for (let d = c; d < k; d++) {
      cumulative += marginals[d];
      const v = (cumulative - (marginals[c] + marginals[d]) / 2) ** 2;
      delta[c * k + d] = v;
      delta[d * k + c] = v;
    }
  }
}

function maxDelta(delta: Float64Array): number {
  let m = 0;
  for (const d of delta) if (d > m) m = d;
  return m;
}
