import { describe, expect, it } from 'vitest';
import { cohenKappa, countCategories, fleissKappa, gwetAC1, krippendorffAlpha, StatsInputError } from '../../../src/metrics/stats/agreement/index.js';
import { bootstrapInterval, quantileSorted } from '../../../src/metrics/stats/bootstrap.js';
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

describe('bootstrapInterval', () => {
  it('is deterministic for a seed and defaults to 1000 replicates, seed 1, 95%', () => {
    const a = bootstrapInterval([30, 70], share);
    expect(a).toEqual(bootstrapInterval([30, 70], share, { seed: 1 }));
    expect(a).toMatchObject({ replicates: 1000, seed: 1, level: 0.95, defined: 1000 });
    expect(bootstrapInterval([30, 70], share, { seed: 2 })).not.toEqual(a);
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

  it('takes the search path for very many items and still draws in proportion', () => {
    const half = 1 << 21;
    const r = bootstrapInterval([half, half + 10], share, { replicates: 1 })!;
    expect(r.lower).toBeGreaterThan(0.499);
    expect(r.upper).toBeLessThan(0.501);
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
