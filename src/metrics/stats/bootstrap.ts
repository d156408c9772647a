import { StatsInputError } from './agreement/errors.js';
import { seededUniform } from './random.js';

/**
 * Nonparametric percentile bootstrap over items (Efron & Tibshirani 1993, ch. 13).
 *
 * Items come as units with integer multiplicities, so that an aggregate (a contingency table's
 * cells, identical rows) is resampled exactly as if every item were listed: each replicate
 * draws N = Σ weights items with replacement and hands the statistic the number of times each
 * unit was drawn. The statistic recomputes its coefficient from those multiplicities, so the
 * cost of a replicate is O(N) draws plus whatever the statistic needs over the units; nothing
 * is allocated per replicate.
 */

export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  replicates?: number;
  /** Seed of the PRNG; default 1, so the same data always gives the same interval. */
  seed?: number;
  /** Coverage of the interval; default 0.95. */
  level?: number;
}

export interface BootstrapInterval {
  lower: number;
  upper: number;
  level: number;
  replicates: number;
  /** Replicates whose statistic was defined; the interval is taken over these only. */
  defined: number;
  seed: number;
}

/**
 * Receives the multiplicity of every unit in one resample. The array is reused between
 * replicates: read it, never keep it.
 */
export type ResampleStatistic = (multiplicities: Float64Array) => number | null;

export const BOOTSTRAP_DEFAULTS: Readonly<Required<BootstrapOptions>> = { replicates: 1000, seed: 1, level: 0.95 };

// Above this many items per replicate the draw table would cost too much memory; the
// cumulative-weight search is slower per draw but needs one double per unit.
const MAX_EXPANDED_DRAWS = 1 << 22;

/**
 * Percentile interval of `statistic` over `replicates` resamples of the items.
 * `items` is either the number of items (each its own unit) or the multiplicity of each unit.
 * Returns null when there are no items or no replicate gave a defined value.
 */
export function bootstrapInterval(
  items: number | ArrayLike<number>,
  statistic: ResampleStatistic,
  options: BootstrapOptions = {},
): BootstrapInterval | null {
  const { replicates, seed, level } = resolveOptions(options);
  const draw = drawTable(items);
  if (draw.total === 0) return null;
  const uniform = seededUniform(seed);
  const resampled = new Float64Array(draw.units);
  const values = new Float64Array(replicates);
  let defined = 0;
  for (let r = 0; r < replicates; r++) {
    resampled.fill(0);
    for (let i = 0; i < draw.total; i++) resampled[draw.unitOf(Math.floor(uniform() * draw.total))] += 1;
    const v = statistic(resampled);
    if (v !== null && Number.isFinite(v)) values[defined++] = v;
  }
  if (defined === 0) return null;
  const sorted = values.subarray(0, defined).sort();
  const tail = (1 - level) / 2;
  return { lower: quantileSorted(sorted, tail), upper: quantileSorted(sorted, 1 - tail), level, replicates, defined, seed };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7, numpy's and R's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function resolveOptions(options: BootstrapOptions): Required<BootstrapOptions> {
  const o = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (!Number.isInteger(o.replicates) || o.replicates < 1 || o.replicates > 1e7) {
    throw new StatsInputError('bootstrap.replicates', `got ${o.replicates}`, 'an integer from 1 to 10,000,000');
  }
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) {
    throw new StatsInputError('bootstrap.seed', `got ${o.seed}`, 'a non-negative safe integer');
  }
  if (!(o.level > 0 && o.level < 1)) {
    throw new StatsInputError('bootstrap.level', `got ${o.level}`, 'a number strictly between 0 and 1');
  }
  return o;
}

interface DrawTable {
  units: number;
  total: number;
  /** Maps a draw in [0, total) to its unit. */
  unitOf: (draw: number) => number;
}

function drawTable(items: number | ArrayLike<number>): DrawTable {
  if (typeof items === 'number') {
    if (!Number.isSafeInteger(items) || items < 0) {
      throw new StatsInputError('items', `got ${items}`, 'a non-negative integer count or an array of multiplicities');
    }
    return { units: items, total: items, unitOf: (d) => d };
  }
  const units = items.length;
  const cumulative = new Float64Array(units);
  let total = 0;
  let allOnes = true;
  for (let u = 0; u < units; u++) {
    const w = items[u];
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new StatsInputError(`items[${u}]`, `got ${w}`, 'a non-negative integer multiplicity');
    }
    if (w !== 1) allOnes = false;
    total += w;
    cumulative[u] = total;
  }
  if (allOnes) return { units, total, unitOf: (d) => d };
  if (total <= MAX_EXPANDED_DRAWS) {
    const table = new Uint32Array(total);
    for (let u = 0, i = 0; u < units; u++) for (let k = 0; k < items[u]; k++) table[i++] = u;
    return { units, total, unitOf: (d) => table[d] };
  }
  return {
    units,
    total,
    unitOf: (d) => {
      // first unit whose cumulative weight exceeds d
      let lo = 0;
      let hi = units - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > d) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
