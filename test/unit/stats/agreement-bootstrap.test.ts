import { describe, expect, it } from 'vitest';
import { cohenKappa, countCategories, fleissKappa, gwetAC1, krippendorffAlpha, StatsInputError } from '../../../src/metrics/stats/agreement/index.js';
import { bootstrapInterval, bootstrapIntervals, quantileSorted } from '../../../src/metrics/stats/bootstrap.js';
import { seededUniform } from '../../../src/metrics/stats/random.js';

const uniform = seededUniform(7);
const int = (n: number): number => Math.floor(uniform() * n);

function ratings(items: number, raters: number, k: number, accuracy: number): number[][] {
  return Array.from({ length: items }, () => {
    const truth = int(k);
    return Array.from({ length: raters }, () => (uniform() < accuracy ? truth : int(k)));
  });
}

const share = (m: Float64Array): number | null => (m[0] + m[1] === 0 ? null : m[0] / (m[0] + m[1]));

/** Every replicate's multiplicities, copied. */
function replicatesOf(weights: number[], replicates: number, seed = 1): Float64Array[] {
  const out: Float64Array[] = [];
  bootstrapInterval(
    weights,
    (m) => {
      out.push(Float64Array.from(m));
      return 0;
    },
    { replicates, seed },
  );
  return out;
}

const sum = (m: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i];
  return s;
};

describe('bootstrapInterval', () => {
  it('is deterministic for a seed and defaults to 1000 replicates, seed 1, 95%', () => {
    const a = bootstrapInterval([30, 70], share);
    expect(a).toEqual(bootstrapInterval([30, 70], share, { seed: 1 }));
    expect(a).toMatchObject({ replicates: 1000, seed: 1, level: 0.95, defined: 1000 });
    expect(bootstrapInterval([30, 70], share, { seed: 2 })).not.toEqual(a);
    // the same on the binomial path and on the item-by-item one
    const heavy = [500, 300, 150, 40, 6, 3, 1];
    expect(replicatesOf(heavy, 50, 9)).toEqual(replicatesOf(heavy, 50, 9));
    expect(replicatesOf(heavy, 50, 9)).not.toEqual(replicatesOf(heavy, 50, 10));
    expect(replicatesOf([1, 3, 6], 50, 9)).toEqual(replicatesOf([1, 3, 6], 50, 9));
  });

  it('resamples items, not units: the percentiles of a share follow Binomial(n, p)/n', () => {
    // exact 2.5% and 97.5% quantiles of Binomial(100, 0.3)/100 are 0.21 and 0.39
    const r = bootstrapInterval([30, 70], share, { replicates: 20_000 })!;
    expect(r.lower).toBeGreaterThanOrEqual(0.2);
    expect(r.lower).toBeLessThanOrEqual(0.22);
    expect(r.upper).toBeGreaterThanOrEqual(0.38);
    expect(r.upper).toBeLessThanOrEqual(0.4);
  });

  it('draws every unit in proportion to its multiplicity, n items per replicate', () => {
    const sums = new Float64Array(3);
    let replicates = 0;
    bootstrapInterval(
      [1, 3, 6],
      (m) => {
        expect(m[0] + m[1] + m[2]).toBe(10);
        m.forEach((v, u) => (sums[u] += v));
        replicates += 1;
        return 0;
      },
      { replicates: 4000 },
    );
    expect(sums[0] / replicates).toBeCloseTo(1, 1);
    expect(sums[1] / replicates).toBeCloseTo(3, 1);
    expect(sums[2] / replicates).toBeCloseTo(6, 1);
  });

  it('draws heavy units as binomials and the rest item by item, jointly Multinomial(N, w/N)', () => {
    // heavy units and a light tail, with an empty unit that must never be drawn
    const weights = [500, 300, 150, 40, 0, 6, 3, 1];
    const n = sum(weights);
    const R = 20_000;
    const reps = replicatesOf(weights, R);
    expect(reps.every((m) => sum(m) === n && m[4] === 0 && m.every((c) => Number.isInteger(c) && c >= 0))).toBe(true);
    const means = weights.map((_, u) => reps.reduce((s, m) => s + m[u], 0) / R);
    const mean = (u: number): number => means[u];
    const cov = (u: number, v: number): number => reps.reduce((s, m) => s + (m[u] - means[u]) * (m[v] - means[v]), 0) / (R - 1);
    weights.forEach((w, u) => {
      if (w === 0) return;
      const p = w / n;
      // E = N p within 4 standard errors; Var = N p (1 − p) within 10%
      expect(Math.abs(mean(u) - w)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / R));
      expect(cov(u, u) / (n * p * (1 - p))).toBeGreaterThan(0.9);
      expect(cov(u, u) / (n * p * (1 - p))).toBeLessThan(1.1);
    });
    // Cov = −N p_u p_v: the counts compete for the same N items (independent binomials would give 0),
    // across the binomial units, and between a binomial unit and an item-by-item one
    for (const [u, v] of [[0, 1], [1, 2], [0, 5], [2, 6]]) {
      const [pu, pv] = [weights[u] / n, weights[v] / n];
      // the sample covariance's standard error is about √(Var_u Var_v / R)
      const se = Math.sqrt((n * pu * (1 - pu) * n * pv * (1 - pv)) / R);
      expect(Math.abs(cov(u, v) - -n * pu * pv)).toBeLessThan(4 * se);
      expect(cov(u, v)).toBeLessThan(-n * pu * pv / 2);
    }
  });

  it('gives the statistic the same distribution as drawing the N items one by one', () => {
    // the item-by-item reference: N units of one item each, mapped back to their unit
    const weights = [120, 60, 15, 5, 3, 1, 1];
    const n = sum(weights);
    const unitOf = weights.flatMap((w, u) => new Array<number>(w).fill(u));
    const R = 20_000;
    const kappaLike = (m: ArrayLike<number>): number => (m[0] + 2 * m[2] - m[3]) / n + (m[1] * m[5]) / (n * n);
    const multinomial: number[] = [];
    bootstrapInterval(weights, (m) => (multinomial.push(kappaLike(m)), 0), { replicates: R, seed: 3 });
    const items: number[] = [];
    const units = new Float64Array(weights.length);
    bootstrapInterval(
      n,
      (m) => {
        units.fill(0);
        m.forEach((c, i) => (units[unitOf[i]] += c));
        items.push(kappaLike(units));
        return 0;
      },
      { replicates: R, seed: 4 },
    );
    multinomial.sort((a, b) => a - b);
    items.sort((a, b) => a - b);
    // two-sample Kolmogorov-Smirnov distance, at α = 0.001: 1.95 √(2 / R)
    let d = 0;
    for (let i = 0, j = 0; i < R && j < R; ) {
      const x = Math.min(multinomial[i], items[j]);
      while (i < R && multinomial[i] === x) i++;
      while (j < R && items[j] === x) j++;
      d = Math.max(d, Math.abs(i - j) / R);
    }
    expect(d).toBeLessThan(1.95 * Math.sqrt(2 / R));
    for (const p of [0.025, 0.5, 0.975]) expect(quantileSorted(multinomial, p)).toBeCloseTo(quantileSorted(items, p), 2);
  });

  it('draws very many items in O(units): two units of a million each, in proportion', () => {
    const half = 1_000_000;
    const reps = replicatesOf([half, half + 10], 200);
    expect(reps.every((m) => m[0] + m[1] === 2 * half + 10)).toBe(true);
    // sd of one replicate's share is 1/(2√N) ≈ 0.00035
    const r = bootstrapInterval([half, half + 10], share, { replicates: 200 })!;
    expect(r.lower).toBeGreaterThan(0.4985);
    expect(r.upper).toBeLessThan(0.5015);
    expect(r.upper - r.lower).toBeGreaterThan(0.0008);
  });

  it('takes the search path when the light units hold too many items for a table', () => {
    // 600,000 units of 8 items (4.8M > 2^22): every unit is light, so no table and no binomial
    const weights = new Array<number>(600_000).fill(8);
    const reps = replicatesOf(weights, 1);
    expect(sum(reps[0])).toBe(4_800_000);
    const firstHalf = sum(reps[0].subarray(0, 300_000));
    // Binomial(4.8M, 1/2): sd ≈ 1095
    expect(Math.abs(firstHalf - 2_400_000)).toBeLessThan(5 * 1095);
  });

  it('interpolates percentiles like numpy and R (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 12);
    expect(quantileSorted([5], 0.5)).toBe(5);
  });

  it('leaves undefined replicates out and says how many were defined', () => {
    let i = 0;
    const r = bootstrapInterval(10, () => (i++ % 2 === 0 ? null : 0.5))!;
    expect(r).toMatchObject({ defined: 500, lower: 0.5, upper: 0.5 });
    expect(bootstrapInterval(10, () => null)).toBeNull();
    expect(bootstrapInterval(0, () => 1)).toBeNull();
    expect(bootstrapInterval([0, 0], () => 1)).toBeNull();
  });

  it('gives several statistics of the same units the intervals each would get alone', () => {
    const weights = [80, 40, 20, 7, 2, 1];
    const first = (m: Float64Array): number => m[0] / sum(m);
    const second = (m: Float64Array): number | null => (m[5] === 0 ? null : m[4] / m[5]);
    const together = bootstrapIntervals(weights, [first, second], { replicates: 300, seed: 5 });
    expect(together).toEqual([
      bootstrapInterval(weights, first, { replicates: 300, seed: 5 }),
      bootstrapInterval(weights, second, { replicates: 300, seed: 5 }),
    ]);
    expect(together[1]!.defined).toBeLessThan(300);
    expect(bootstrapIntervals([0, 0], [first, second])).toEqual([null, null]);
  });

  it('refuses bad options and multiplicities, naming the field', () => {
    const field = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        if (err instanceof StatsInputError) return err.field;
        throw err;
      }
      throw new Error('expected a StatsInputError');
    };
    expect(field(() => bootstrapInterval(5, () => 1, { replicates: 0 }))).toBe('bootstrap.replicates');
    expect(field(() => bootstrapInterval(5, () => 1, { level: 1 }))).toBe('bootstrap.level');
    expect(field(() => bootstrapInterval(5, () => 1, { seed: -1 }))).toBe('bootstrap.seed');
    expect(field(() => bootstrapInterval([1, 2.5], () => 1))).toBe('items[1]');
    expect(field(() => bootstrapInterval(-1, () => 1))).toBe('items');
  });
});

describe('coefficient intervals', () => {
  it('Cohen: the bootstrap spread agrees with the large-sample SE', () => {
    const rows = ratings(2000, 2, 3, 0.6);
    const table = [0, 1, 2].map((a) => [0, 1, 2].map((b) => rows.filter((r) => r[0] === a && r[1] === b).length));
    const r = cohenKappa(table);
    const bootSe = (r.interval!.upper - r.interval!.lower) / (2 * 1.959964);
    expect(bootSe / r.se!).toBeGreaterThan(0.85);
    expect(bootSe / r.se!).toBeLessThan(1.15);
    expect(r.interval!.lower).toBeLessThan(r.value!);
    expect(r.interval!.upper).toBeGreaterThan(r.value!);
  });

  it('every coefficient reports an interval around its value unless bootstrap is false', () => {
    const { categories, counts } = countCategories(ratings(300, 4, 4, 0.5));
    for (const r of [fleissKappa(counts), gwetAC1(counts), krippendorffAlpha(counts, { level: 'interval', values: categories as number[] })]) {
      expect(r.interval!.lower).toBeLessThan(r.value!);
      expect(r.interval!.upper).toBeGreaterThan(r.value!);
    }
    expect(fleissKappa(counts, { bootstrap: false }).interval).toBeNull();
  });

  // speed is measured in bench/, not asserted here; this checks that every replicate is defined
  it('1000 replicates over 5000 items are all defined (Cohen, Fleiss, AC1, alpha)', () => {
    const rows = ratings(5000, 3, 5, 0.6);
    const table = [0, 1, 2, 3, 4].map((a) => [0, 1, 2, 3, 4].map((b) => rows.filter((r) => r[0] === a && r[1] === b).length));
    const { counts } = countCategories(rows);
    for (const [name, run] of [
      ['cohen', () => cohenKappa(table)],
      ['fleiss', () => fleissKappa(counts)],
      ['ac1', () => gwetAC1(counts)],
      ['alpha', () => krippendorffAlpha(counts)],
    ] as const) {
      const r = run();
      expect(r.interval!.defined, name).toBe(1000);
    }
  });
});
