import { StatsInputError } from './agreement/errors.js';
import { binomialVariate, SeededUniform } from './random.js';

/**
 * Nonparametric percentile bootstrap over items (Efron & Tibshirani 1993, ch. 13).
 *
 * Items come as units with integer multiplicities, so that an aggregate (a contingency table's
 * cells, identical rows) is resampled exactly as if every item were listed: each replicate
 * draws N = Σ weights items with replacement and hands the statistic the number of times each
 * unit was drawn. Those numbers are Multinomial(N, w_u / N), and that is how a replicate draws
 * them (see `planResample`): heavy units as conditional binomials, O(1) each whatever their
 * weight, light ones item by item. A replicate therefore costs O(units), not O(N), plus what
 * the statistic needs over the units; nothing is allocated per replicate.
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
  return bootstrapIntervals(items, [statistic], options)[0];
}

/**
 * The intervals of several statistics over the same units, from one set of replicates. Each is
 * exactly the interval `bootstrapInterval` gives for that statistic alone with the same options
 * (a seed draws the same replicates for the same weights), so computing them together changes
 * only the cost: the draws are paid once.
 */
export function bootstrapIntervals(
  items: number | ArrayLike<number>,
  statistics: readonly ResampleStatistic[],
  options: BootstrapOptions = {},
): (BootstrapInterval | null)[] {
  const { replicates, seed, level } = resolveOptions(options);
  const weights = readItems(items);
  if (weights.total === 0) return statistics.map(() => null);
  const uniform = new SeededUniform(seed);
  const draw = planResample(weights, uniform);
  const resampled = new Float64Array(weights.units);
  const values = statistics.map(() => new Float64Array(replicates));
  const defined = new Array<number>(statistics.length).fill(0);
  for (let r = 0; r < replicates; r++) {
    draw(resampled);
    for (let s = 0; s < statistics.length; s++) {
      const v = statistics[s](resampled);
      if (v !== null && Number.isFinite(v)) values[s][defined[s]++] = v;
    }
  }
  const tail = (1 - level) / 2;
  return values.map((all, s) => {
    if (defined[s] === 0) return null;
    const sorted = all.subarray(0, defined[s]).sort();
    return { lower: quantileSorted(sorted, tail), upper: quantileSorted(sorted, 1 - tail), level, replicates, defined: defined[s], seed };
  });
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

interface Weights {
  units: number;
  total: number;
  /** Multiplicity of each unit; null when every unit is one item. */
  of: ArrayLike<number> | null;
}

function readItems(items: number | ArrayLike<number>): Weights {
  if (typeof items === 'number') {
    if (!Number.isSafeInteger(items) || items < 0) {
      throw new StatsInputError('items', `got ${items}`, 'a non-negative integer count or an array of multiplicities');
    }
    return { units: items, total: items, of: null };
  }
  let total = 0;
  let allOnes = true;
  for (let u = 0; u < items.length; u++) {
    const w = items[u];
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new StatsInputError(`items[${u}]`, `got ${w}`, 'a non-negative integer multiplicity');
    }
    if (w !== 1) allOnes = false;
    total += w;
  }
  return { units: items.length, total, of: allOnes ? null : items };
}

// What the ways to draw cost, in item draws (one uniform, one table look-up, one increment),
// measured on Node 20: a binomial variate by BTRD ~7 (87 ns against 13 ns), by the sum of n
// Bernoulli trials that binomialVariate falls back to when n·min(p, 1 − p) < 10, ~0.5 per
// trial. Only the ratios matter, and the total is flat around them.
const BTRD_COST = 7;
const TRIAL_COST = 0.5;
// Above this many items drawn one by one, an item → unit table would cost too much memory; a
// search over cumulative weights is slower per draw but needs one double per unit.
const MAX_EXPANDED_DRAWS = 1 << 22;
// Uniforms are generated this many at a time, in one loop instead of a call each.
const DRAW_CHUNK = 4096;

/**
 * Returns a function that writes one replicate's multiplicities into `out` (one slot per unit).
 *
 * The multiplicities of N items drawn with replacement are Multinomial(N, w_u / N), which is
 * the same as drawing the units one after the other, each count_u ~ Binomial(remaining items,
 * w_u / remaining weight), and giving the last one what is left. Units go heaviest first, each
 * as one binomial variate (O(1) whatever its count) while that is cheaper than drawing its
 * items; what is left is again exactly Multinomial(remaining, w_u / their weight) over the
 * light units, and is drawn item by item: a variate costs as much as ~7 item draws, and a unit
 * expected to get fewer than 10 items would need the O(n) Bernoulli fallback anyway. So a
 * replicate costs O(units) whatever N; when N is small next to the number of units (every
 * item its own unit, most reviewer-pair tables at 1M events) it is all item by item, as before.
 */
function planResample(weights: Weights, uniform: SeededUniform): (out: Float64Array) => void {
  const { units, total } = weights;
  const w = weights.of;
  const buffer = new Float64Array(Math.min(total, DRAW_CHUNK));
  if (w === null) {
    return (out) => {
      out.fill(0);
      for (let left = total; left > 0; left -= buffer.length) {
        const n = Math.min(left, buffer.length);
        uniform.fill(buffer, n);
        for (let i = 0; i < n; i++) out[Math.floor(buffer[i] * total)] += 1;
      }
    };
  }
  const order = Array.from({ length: units }, (_, u) => u)
    .filter((u) => w[u] > 0)
    .sort((a, b) => w[b] - w[a] || a - b);
  // how many of the heaviest units to draw as binomials: the cheapest split, by expected cost
  // (the expected number of items left when unit u comes is the weight from u on)
  let heavy = 0;
  let bestCost = order.length > 1 ? total : 0;
  for (let s = 0, suffix = total, spent = 0; s < order.length - 1; s++) {
    const wu = w[order[s]];
    spent += Math.min(wu, suffix - wu) >= 10 ? BTRD_COST : suffix * TRIAL_COST;
    suffix -= wu;
    const cost = spent + (s + 2 < order.length ? suffix : 0);
    if (cost < bestCost) {
      bestCost = cost;
      heavy = s + 1;
    }
  }
  const heavyUnits = Uint32Array.from(order.slice(0, heavy));
  const heavyWeights = Float64Array.from(heavyUnits, (u) => w[u]);
  const next = (): number => uniform.next();
  const light = Uint32Array.from(order.slice(heavy));
  const lightWeight = light.reduce((sum, u) => sum + w[u], 0);
  // light unit s is counted in lanes[4s..4s+3], item i in lane i mod 4: consecutive draws of one
  // unit would otherwise wait on each other's increment (a few times slower on small tables)
  const lanes = new Int32Array(light.length > 1 ? 4 * light.length : 0);
  const table = light.length > 1 && lightWeight <= MAX_EXPANDED_DRAWS ? laneTable(light, w, lightWeight) : null;
  const search = light.length > 1 && table === null ? laneSearch(light, w) : null;
  return (out) => {
    out.fill(0);
    let remaining = total;
    let remainingWeight = total;
    for (let i = 0; i < heavy && remaining > 0; i++) {
      // exact whatever `remaining` came out as: a variate with n·p < 10 is a (short) Bernoulli sum
      const c = binomialVariate(next, remaining, heavyWeights[i] / remainingWeight);
      out[heavyUnits[i]] = c;
      remaining -= c;
      remainingWeight -= heavyWeights[i];
    }
    if (light.length === 1) {
      out[light[0]] = remaining;
      return;
    }
    for (let left = remaining; left > 0; left -= buffer.length) {
      const n = Math.min(left, buffer.length);
      uniform.fill(buffer, n);
      if (table !== null) {
        let i = 0;
        for (; i + 3 < n; i += 4) {
          lanes[table[Math.floor(buffer[i] * lightWeight)]]++;
          lanes[table[Math.floor(buffer[i + 1] * lightWeight)] + 1]++;
          lanes[table[Math.floor(buffer[i + 2] * lightWeight)] + 2]++;
          lanes[table[Math.floor(buffer[i + 3] * lightWeight)] + 3]++;
        }
        for (; i < n; i++) lanes[table[Math.floor(buffer[i] * lightWeight)]]++;
      } else for (let i = 0; i < n; i++) lanes[search!(Math.floor(buffer[i] * lightWeight))]++;
    }
    for (let s = 0; s < light.length; s++) {
      out[light[s]] = lanes[4 * s] + lanes[4 * s + 1] + lanes[4 * s + 2] + lanes[4 * s + 3];
    }
    lanes.fill(0);
  };
}

/** Item i of the light units (each repeated its weight times) → the first lane of its unit. */
function laneTable(light: Uint32Array, w: ArrayLike<number>, total: number): Uint32Array {
  const table = new Uint32Array(total);
  let i = 0;
  for (let s = 0; s < light.length; s++) for (let k = 0; k < w[light[s]]; k++) table[i++] = 4 * s;
  return table;
}

/** The same map as `laneTable` without the table, for very many items. */
function laneSearch(light: Uint32Array, w: ArrayLike<number>): (draw: number) => number {
  const cumulative = new Float64Array(light.length);
  for (let s = 0, sum = 0; s < light.length; s++) cumulative[s] = sum += w[light[s]];
  return (d) => {
    // first unit whose cumulative weight exceeds d
    let lo = 0;
    let hi = light.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > d) hi = mid;
      else lo = mid + 1;
    }
    return 4 * lo;
  };
}
