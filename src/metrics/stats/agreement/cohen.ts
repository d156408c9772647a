import { StatsInputError } from './errors.js';
import { maybeInterval, readCountMatrix, type AgreementResult, type CoefficientOptions, type CountMatrix } from './input.js';

/**
 * Two raters over a k×k contingency table (rater A in rows, rater B in columns): percent
 * agreement and Cohen's (1960) kappa, weighted for ordered categories (Cohen 1968).
 * Matches sklearn.metrics.cohen_kappa_score and statsmodels.stats.inter_rater.cohens_kappa.
 */

/** Disagreement weights by category position: |i−j| or (i−j)², as sklearn's and statsmodels'. */
export type KappaWeights = 'none' | 'linear' | 'quadratic';

export interface CohenKappaOptions extends CoefficientOptions {
  weights?: KappaWeights;
}

export interface CohenKappaResult extends AgreementResult {
  weights: KappaWeights;
  /** Observed (weighted) agreement p_o. */
  observed: number | null;
  /** Agreement expected from the margins p_e. */
  expected: number | null;
  /** Large-sample standard error (Fleiss, Cohen & Everitt 1969), as SAS's ASE and statsmodels' std_kappa. */
  se: number | null;
}

// Below this, 1 − p_e is rounding noise around a table where every rating is one category.
const DEGENERATE = 1e-12;

export function cohenKappa(table: CountMatrix, options: CohenKappaOptions = {}): CohenKappaResult {
  const weights = options.weights ?? 'none';
  if (weights !== 'none' && weights !== 'linear' && weights !== 'quadratic') {
    throw new StatsInputError('weights', `got ${String(weights)}`, "'none', 'linear' or 'quadratic'");
  }
  const { rows: k, cells } = readCountMatrix('table', table, 'square');
  const w = agreementWeights(k, weights);
  const kappa = kappaOf(k, w);
  const parts = kappa(cells);
  return {
    value: parts.value,
    n: parts.n,
    weights,
    observed: parts.n === 0 ? null : parts.observed,
    expected: parts.n === 0 ? null : parts.expected,
    se: parts.value === null ? null : kappaSe(cells, k, w, parts.value, parts.expected, parts.n),
    interval: maybeInterval(options, cells, (m) => kappa(m).value),
  };
}

/** Share of items on the diagonal. */
export function percentAgreement(table: CountMatrix, options: CoefficientOptions = {}): AgreementResult {
  const { rows: k, cells } = readCountMatrix('table', table, 'square');
  const share = (m: ArrayLike<number>): number | null => {
    let n = 0;
    let agree = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) n += m[i * k + j];
      agree += m[i * k + i];
    }
    return n === 0 ? null : agree / n;
  };
  let n = 0;
  for (const c of cells) n += c;
  return { value: share(cells), n, interval: maybeInterval(options, cells, share) };
}

/** Agreement weights 1 − d(i, j) / d_max, so that 'none' is the identity. */
export function agreementWeights(k: number, weights: KappaWeights): Float64Array {
  const w = new Float64Array(k * k);
  const span = Math.max(k - 1, 1);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = Math.abs(i - j) / span;
      w[i * k + j] = weights === 'none' ? (i === j ? 1 : 0) : weights === 'linear' ? 1 - d : 1 - d * d;
    }
  }
  return w;
}

interface KappaParts {
  value: number | null;
  n: number;
  observed: number;
  expected: number;
}

/** A kappa over flat k×k cells with its scratch margins allocated once, for the bootstrap. */
function kappaOf(k: number, w: Float64Array): (cells: ArrayLike<number>) => KappaParts {
  const rowTotals = new Float64Array(k);
  const colTotals = new Float64Array(k);
  return (cells) => {
    rowTotals.fill(0);
    colTotals.fill(0);
    let n = 0;
    let agreeing = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const c = cells[i * k + j];
        rowTotals[i] += c;
        colTotals[j] += c;
        agreeing += w[i * k + j] * c;
        n += c;
      }
    }
    if (n === 0) return { value: null, n, observed: NaN, expected: NaN };
    let chance = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) chance += w[i * k + j] * rowTotals[i] * colTotals[j];
    const observed = agreeing / n;
    const expected = chance / (n * n);
    const value = 1 - expected <= DEGENERATE ? null : (observed - expected) / (1 - expected);
    return { value, n, observed, expected };
  };
}

/**
 * var(κ) = [Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1−κ))² − (κ − p_e(1−κ))²] / (n (1−p_e)²),
 * w̄_i· = Σ_j p_·j w_ij, w̄_·j = Σ_i p_i· w_ij; with identity weights this is the unweighted
 * formula of Fleiss, Cohen & Everitt (1969).
 */
function kappaSe(cells: Float64Array, k: number, w: Float64Array, kappa: number, pe: number, n: number): number {
  const pRow = new Float64Array(k);
  const pCol = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      pRow[i] += cells[i * k + j] / n;
      pCol[j] += cells[i * k + j] / n;
    }
  }
  let sum = 0;
  for (let i = 0; i < k; i++) {
    let wRow = 0;
    for (let j = 0; j < k; j++) wRow += pCol[j] * w[i * k + j];
    for (let j = 0; j < k; j++) {
      let wCol = 0;
      for (let l = 0; l < k; l++) wCol += pRow[l] * w[l * k + j];
      const dev = w[i * k + j] - (wRow + wCol) * (1 - kappa);
      sum += (cells[i * k + j] / n) * dev * dev;
    }
  }
  const centre = kappa - pe * (1 - kappa);
  const variance = (sum - centre * centre) / (n * (1 - pe) * (1 - pe));
  return Math.sqrt(Math.max(variance, 0));
}
