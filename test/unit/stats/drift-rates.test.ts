import { describe, expect, it } from 'vitest';
import {
  binomialCusum,
  chi2Contingency2xK,
  StatsInputError,
  twoProportionZTest,
} from '../../../src/metrics/stats/drift/index.js';

describe('two-proportion z-test (statsmodels proportions_ztest)', () => {
  it("statsmodels' test vector (test_proportion.py, GH 2969): [5, 12] of [83, 99]", () => {
    // statsmodels orders (current, reference); z = -1.4078304151258787, p = 0.15918129181156992
    const r = twoProportionZTest({ successes: 12, n: 99 }, { successes: 5, n: 83 });
    expect(r.statistic! / -1.4078304151258787).toBeCloseTo(1, 13);
    expect(r.pvalue! / 0.15918129181156992).toBeCloseTo(1, 12);
    expect(r).toMatchObject({ n_ref: 99, n_cur: 83, drifted: false, rate_ref: 12 / 99, rate_cur: 5 / 83 });
  });

  it("equals the uncorrected chi-square p-value, statsmodels' own consistency check", () => {
    for (const [x1, n1, x2, n2] of [[15, 20, 10, 20], [15, 20, 10, 50000], [3, 400, 17, 380]]) {
      const z = twoProportionZTest({ successes: x2, n: n2 }, { successes: x1, n: n1 });
      const chi = chi2Contingency2xK([x1, n1 - x1], [x2, n2 - x2], false);
      expect(Math.abs(z.pvalue! - chi.pvalue)).toBeLessThanOrEqual(1e-11 * chi.pvalue + 1e-300);
      expect(z.statistic! ** 2 / chi.statistic).toBeCloseTo(1, 11);
    }
  });

  it('one-sided: "increase" halves the p-value of a rise and ignores a fall', () => {
    const ref = { successes: 50, n: 1000 };
    const rise = { successes: 80, n: 1000 };
    const two = twoProportionZTest(ref, rise);
    const up = twoProportionZTest(ref, rise, { alternative: 'increase' });
    expect(up.statistic).toBeGreaterThan(0);
    expect(up.pvalue! * 2).toBeCloseTo(two.pvalue!, 15);
    expect(twoProportionZTest(rise, ref, { alternative: 'increase' }).pvalue).toBeGreaterThan(0.99);
    expect(twoProportionZTest(rise, ref, { alternative: 'decrease' }).pvalue).toBeCloseTo(up.pvalue!, 15);
  });

  it('edge cases: an empty window, and no variation at all', () => {
    expect(twoProportionZTest({ successes: 0, n: 0 }, { successes: 1, n: 5 })).toMatchObject({
      statistic: null, pvalue: null, drifted: false, reason: 'insufficient data', rate_ref: null,
    });
    expect(twoProportionZTest({ successes: 7, n: 7 }, { successes: 3, n: 3 })).toMatchObject({
      statistic: null, pvalue: null, drifted: false, rate_ref: 1, rate_cur: 1,
    });
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportionZTest({ successes: 6, n: 5 }, { successes: 1, n: 5 })).toThrow(StatsInputError);
    expect(() => twoProportionZTest({ successes: 1, n: 5 }, { successes: 1, n: -5 })).toThrow(/cur\.n/);
  });
});

describe('binomial CUSUM (Montgomery, standardized tabular CUSUM)', () => {
  it('matches a hand computation and signals at the first C > h', () => {
    // p0 = 0.1, n = 100 per bucket: sigma = 3; z = (x - 10) / 3; C = max(0, C + z - 0.5)
    const buckets = [10, 12, 15, 18, 20, 9].map((x) => ({ n: 100, successes: x }));
    const r = binomialCusum({ successes: 100, n: 1000 }, buckets);
    const expected = [0, 2 / 3 - 0.5, 2 / 3 - 0.5 + 5 / 3 - 0.5, 0, 0, 0];
    expected[3] = expected[2] + 8 / 3 - 0.5;
    expected[4] = expected[3] + 10 / 3 - 0.5;
    expected[5] = expected[4] - 1 / 3 - 0.5;
    r.path.forEach((c, t) => expect(c).toBeCloseTo(expected[t], 13));
    // C_3 = 3.5, C_4 = 6.33 > 5: the rise began in bucket 1, where C left zero
    expect(r).toMatchObject({ signal_index: 4, onset_index: 1, drifted: true, threshold: 5, k: 0.5, p0: 0.1, n_ref: 1000, n_cur: 600 });
    expect(r.statistic).toBeCloseTo(expected[4], 13);
  });

  it('keeps C through an empty bucket and varies the standardization with bucket size', () => {
    const r = binomialCusum({ successes: 1, n: 10 }, [{ n: 400, successes: 52 }, { n: 0, successes: 0 }, { n: 25, successes: 5 }], { h: 4 });
    const z1 = (52 - 40) / Math.sqrt(400 * 0.1 * 0.9);
    const z3 = (5 - 2.5) / Math.sqrt(25 * 0.1 * 0.9);
    expect(r.path[0]).toBeCloseTo(z1 - 0.5, 14);
    expect(r.path[1]).toBe(r.path[0]);
    expect(r.path[2]).toBeCloseTo(z1 - 0.5 + z3 - 0.5, 14);
    expect(r.signal_index).toBe(null);
    expect(r.drifted).toBe(false);
  });

  it('takes p0 and k from options', () => {
    const r = binomialCusum({ successes: 0, n: 0 }, [{ n: 100, successes: 30 }], { p0: 0.2, k: 0 });
    expect(r.path[0]).toBeCloseTo(10 / 4, 14);
    expect(r.p0).toBe(0.2);
  });

  it('edge cases: no reference, no current data, a reference rate of 0 or 1', () => {
    expect(binomialCusum({ successes: 0, n: 0 }, [{ n: 10, successes: 1 }])).toMatchObject({ statistic: null, reason: 'insufficient data', drifted: false });
    expect(binomialCusum({ successes: 1, n: 10 }, [])).toMatchObject({ statistic: null, reason: 'insufficient data' });
    expect(binomialCusum({ successes: 0, n: 50 }, [{ n: 10, successes: 1 }])).toMatchObject({ statistic: null, drifted: false, p0: 0 });
    expect(binomialCusum({ successes: 50, n: 50 }, [{ n: 10, successes: 1 }]).reason).toMatch(/undefined/);
  });

  it('refuses bad parameters', () => {
    expect(() => binomialCusum({ successes: 1, n: 10 }, [], { h: 0 })).toThrow(/\bh\b/);
    expect(() => binomialCusum({ successes: 1, n: 10 }, [], { k: -1 })).toThrow(/\bk\b/);
    expect(() => binomialCusum({ successes: 1, n: 10 }, [{ n: 3, successes: 4 }])).toThrow(/buckets\[0\]/);
  });
});
