import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ksTwoSample, StatsInputError, tally, type KsAlternative, type KsMethod } from '../../../src/metrics/stats/drift/index.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const reference = JSON.parse(readFileSync(path.resolve(projectRoot, 'test/fixtures/reference/drift.json'), 'utf8'));

/** numpy.linspace, for the vectors written as "linspace(a, b, n) + c". */
function linspace(a: number, b: number, n: number): number[] {
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + i * step));
}

function data(spec: number[] | string): number[] {
  if (Array.isArray(spec)) return spec;
  const m = /^linspace\(([^,]+), ([^,]+), ([^)]+)\)(?: \+ (\S+))?$/.exec(spec);
  if (!m) throw new Error(`unknown vector ${spec}`);
  return linspace(Number(m[1]), Number(m[2]), Number(m[3])).map((v) => v + Number(m[4] ?? 0));
}

/** Relative agreement to `digits` significant digits (absolute near zero). */
function expectSig(actual: number | null, expected: number, digits: number): void {
  expect(actual).not.toBeNull();
  const tol = 0.5 * 10 ** (1 - digits) * Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol);
}

const ks = (x: number[], y: number[], alternative: KsAlternative = 'two-sided', method: KsMethod = 'auto') =>
  ksTwoSample(tally(x), tally(y), { alternative, method });

describe('KS two-sample: shared reference vectors (scipy ks_2samp)', () => {
  for (const [i, c] of (reference.ks_2samp as { x: number[] | string; y: number[] | string; expected: { statistic: number; pvalue: number } }[]).entries()) {
    it(`vector ${i}: n=${data(c.x).length}, m=${data(c.y).length}`, () => {
      const r = ks(data(c.x), data(c.y));
      expectSig(r.statistic, c.expected.statistic, 12);
      // the file prints p-values to 8-10 significant digits
      expect(r.pvalue).toBeCloseTo(c.expected.pvalue, 9);
      expectSig(r.pvalue, c.expected.pvalue, 7);
    });
  }
});

describe("KS two-sample: scipy's own test vectors (scipy/stats/tests/test_stats.py, TestKSTwoSamples)", () => {
  const x100 = linspace(1, 100, 100);
  const x110 = linspace(1, 100, 110);
  const x2233 = [...Array(3).fill(2), ...Array(4).fill(3), ...Array(5).fill(5), ...Array(4).fill(6)];
  const x3344 = x2233.map((v) => v + 1);
  const x2356 = [...Array(3).fill(2), ...Array(4).fill(3), ...Array(10).fill(5), ...Array(4).fill(6)];
  const x3467 = [...Array(10).fill(3), ...Array(2).fill(4), ...Array(10).fill(6), ...Array(4).fill(7)];
  const big = (n1: number, n2: number, lo2: number, hi2: number) => {
    const delta = 1 / n1 / n2 / 2 / 2;
    return [linspace(1, 200, n1).map((v) => v - delta), linspace(lo2, hi2, n2)];
  };
  const [l1, l2] = big(10000, 110, 2, 100);
  const [lb1, lb2] = big(10000, 11000, 2, 200);
  const [m1, m2] = big(500, 600, 2, 200);
  const cases: [string, number[], number[], KsAlternative, number, number, KsMethod?][] = [
    ['small', [0], [1], 'two-sided', 1, 1],
    ['small greater', [0], [1], 'greater', 1, 0.5],
    ['small less', [1], [0], 'less', 1, 0.5],
    ['2 vs 3', [1.01, 2.01], [1, 2, 3], 'greater', 1 / 3, 0.7],
    ['2 vs 3 shifted', [0.99, 1.99], [1, 2, 3], 'two-sided', 2 / 3, 0.6],
    ['2 vs 4', [1.01, 2.01], [1, 2, 3, 4], 'two-sided', 2 / 4, 14 / 15],
    ['2 vs 4 greater', [1.01, 2.01], [1, 2, 3, 4], 'greater', 2 / 4, 8 / 15],
    ['2 vs 4 less', [1.01, 2.01], [1, 2, 3, 4], 'less', 1 / 4, 12 / 15],
    ['2 vs 4 shifted', [0.99, 1.99], [1, 2, 3, 4], 'two-sided', 3 / 4, 6 / 15],
    ['100 vs 100', x100, x100.map((v) => v + 2.1), 'two-sided', 3 / 100, 0.9999999999962055],
    ['100 vs 100 greater', x100, x100.map((v) => v + 2.1), 'greater', 3 / 100, 0.9143290114276248],
    ['100 vs 100 -0.1 greater', x100, x100.map((v) => v + 1.9), 'greater', 2 / 100, 0.960978450786184],
    ['100 vs 110', x100, x110.map((v) => v + 20.1), 'two-sided', 232 / 1100, 0.015739183865607353],
    ['100 vs 110 greater', x100, x110.map((v) => v + 20.1), 'greater', 232 / 1100, 0.007869594319053203],
    ['100 vs 110 -0.1', x100, x110.map((v) => v + 19.9), 'two-sided', 229 / 1100, 0.017803803861026313],
    ['100 vs 110 -0.1 greater', x100, x110.map((v) => v + 19.9), 'greater', 229 / 1100, 0.008901905958245056],
    ['repeated values', x2233, x3344, 'two-sided', 5 / 16, 0.4262934613454952],
    ['repeated values greater', x2233, x3344, 'greater', 5 / 16, 0.21465428276573786],
    ['repeated values 2', x2356, x3467, 'two-sided', 190 / 21 / 26, 0.0919245790168125],
    ['repeated values 2 greater', x2356, x3467, 'greater', 190 / 21 / 26, 0.0459633806858544],
    ['repeated values 2 less', x2356, x3467, 'less', 70 / 21 / 26, 0.6121593130022775],
    ['equal sizes', [1, 2, 3], [2, 3, 4], 'greater', 1 / 3, 0.75],
    ['equal sizes less', [1, 2, 3], [0.5, 1.5, 2.5], 'less', 1 / 3, 0.75],
    ['500 vs 600 asymp greater', m1, m2, 'greater', 2000 / 500 / 600, 0.9697596024683929, 'asymp'],
    ['500 vs 600 asymp less', m1, m2, 'less', 500 / 500 / 600, 0.9968735843165021, 'asymp'],
    ['500 vs 600 exact falls back', m1, m2, 'less', 500 / 500 / 600, 0.9968735843165021, 'exact'],
    // scipy's test lists 4.2188474935755949e-15 but checks it only to 6 decimal places: that
    // was rounding noise of 1 - (1 - p). Since Viehmann's recursion (scipy 1.7) scipy returns
    // this value, and so do we.
    ['10000 vs 110', l1, l2, 'two-sided', 55275 / 110000, 6.263465662260858e-26],
    ['10000 vs 110 greater', l1, l2, 'greater', 561 / 110000, 0.99115454582047591],
    ['10000 vs 110 less', l1, l2, 'less', 55275 / 110000, 3.1317328311518713e-26],
    ['10000 vs 11000 auto (asymptotic)', lb1, lb2, 'two-sided', 563 / 110000, 0.9990660108966576],
    ['10000 vs 11000 exact', lb1, lb2, 'two-sided', 563 / 110000, 0.9990456491488628, 'exact'],
    ['10000 vs 11000 greater', lb1, lb2, 'greater', 563 / 110000, 0.7561851877420673],
    ['10000 vs 11000 less', lb1, lb2, 'less', 10 / 110000, 0.9998239693191724],
  ];
  for (const [name, x, y, alternative, statistic, pvalue, method] of cases) {
    it(name, () => {
      const r = ks(x, y, alternative, method);
      expectSig(r.statistic, statistic, 12);
      expectSig(r.pvalue, pvalue, 9);
    });
  }

  it('reports the fallback from exact to asymptotic the way scipy warns about it', () => {
    expect(ks(m1, m2, 'less', 'exact')).toMatchObject({ method: 'asymp', exact_failed: true });
    expect(ks(x100, x110, 'two-sided')).toMatchObject({ method: 'exact', exact_failed: false });
    expect(ks(lb1, lb2)).toMatchObject({ method: 'asymp', exact_failed: false });
  });

  it('locates the statistic and its sign like scipy (test_location_sign)', () => {
    const expected: [KsAlternative, number, number, 1 | -1][] = [
      ['greater', 5.9, 5.9, 1], ['less', 6.1, 6.0, -1], ['two-sided', 5.9, 5.9, 1], ['two-sided', 6.1, 6.0, -1],
    ];
    for (const [alternative, x6, location, sign] of expected) {
      const x = Array.from({ length: 10 }, (_, i) => i);
      const y = [...x];
      x[6] = x6;
      const r = ks(x, y, alternative);
      expect(r.statistic).toBe(0.1);
      expect(r.statistic_location).toBe(location);
      expect(r.statistic_sign).toBe(sign);
    }
  });
});

describe('KS two-sample: weighted input and edge cases', () => {
  it('a weighted sample is the same as its expansion', () => {
    const weighted = ksTwoSample({ values: [3, 1, 2, 1], counts: [2, 3, 0, 1] }, { values: [2, 4], counts: [3, 1] });
    const raw = ks([1, 1, 1, 1, 3, 3], [2, 2, 2, 4]);
    expect(weighted).toEqual(raw);
  });

  it('an empty window gives no statistic and no drift', () => {
    for (const r of [ks([], [1, 2]), ks([1, 2], []), ksTwoSample({ values: [1], counts: [0] }, tally([1]))]) {
      expect(r).toMatchObject({ statistic: null, pvalue: null, drifted: false, reason: 'insufficient data' });
    }
    expect(ks([], [1, 2, 3]).n_cur).toBe(3);
  });

  it('identical samples and all-ties samples give D = 0, p = 1 (scipy: exact path, h = 0)', () => {
    expect(ks([1, 2, 3, 3], [1, 2, 3, 3])).toMatchObject({ statistic: 0, pvalue: 1, drifted: false });
    expect(ks([5, 5, 5], [5, 5, 5, 5, 5])).toMatchObject({ statistic: 0, pvalue: 1, drifted: false });
    const big = Array(20000).fill(0.7);
    expect(ks(big, big)).toMatchObject({ statistic: 0, pvalue: 1, method: 'asymp' });
  });

  it('decides with the alpha threshold', () => {
    const x = linspace(1, 100, 100);
    const y = linspace(1, 100, 110).map((v) => v + 20.1); // p = 0.0157
    expect(ks(x, y).drifted).toBe(true);
    expect(ksTwoSample(tally(x), tally(y), { thresholds: { alpha: 0.01 } })).toMatchObject({ drifted: false, threshold: 0.01 });
  });

  it('rejects malformed input with the field named', () => {
    expect(() => ksTwoSample({ values: [1, 2], counts: [1] }, tally([1]))).toThrow(StatsInputError);
    expect(() => ksTwoSample({ values: [NaN], counts: [1] }, tally([1]))).toThrow(/ref\.values\[0\]/);
    expect(() => ksTwoSample(tally([1]), { values: [1], counts: [1.5] })).toThrow(/cur\.counts\[0\]/);
    expect(() => ksTwoSample(tally([1]), tally([1]), { thresholds: { alpha: 2 } })).toThrow(/thresholds\.alpha/);
  });
});
