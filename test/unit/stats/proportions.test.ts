import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatsInputError } from '../../../src/metrics/stats/drift/types.js';
import {
  clopperPearsonInterval,
  hajekProportion,
  weightSumsFromCases,
  weightSumsFromStrata,
  wilsonInterval,
  Z_95,
} from '../../../src/metrics/stats/proportions.js';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { Rng } from '../../../src/simulate/random.js';
import { requirePython, runPythonJson } from '../../helpers/python.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const reference = JSON.parse(readFileSync(path.resolve(projectRoot, 'test/fixtures/reference/drift.json'), 'utf8'));
const ORACLE = path.resolve(projectRoot, 'test/oracles/drift_oracle.py');

function expectRel(actual: number | null, expected: number, rel: number, label = ''): void {
  expect(actual, label).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
}

describe('proportion intervals: shared reference vectors (scipy binomtest(...).proportion_ci)', () => {
  for (const c of reference.proportion_intervals as { successes: number; n: number; wilson: number[]; clopper_pearson: number[] }[]) {
    it(`${c.successes}/${c.n}`, () => {
      // printed to 6 decimal places
      const w = wilsonInterval(c.successes, c.n);
      expect(Math.abs(w.lower - c.wilson[0])).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(w.upper - c.wilson[1])).toBeLessThanOrEqual(5e-7);
      const cp = clopperPearsonInterval(c.successes, c.n);
      expect(Math.abs(cp.lower - c.clopper_pearson[0])).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(cp.upper - c.clopper_pearson[1])).toBeLessThanOrEqual(5e-7);
    });
  }
});

describe("proportion intervals: R binom.confint values from statsmodels' test suite (results_proportion.py)", () => {
  // [count, nobs, exact (Clopper-Pearson) interval, Wilson interval], R package binom, tol 1e-8
  const vectors: [number, number, number[], number[]][] = [
    [18, 20, [0.6830172859809176, 0.9876514728297052], [0.6989663547715128, 0.972133518786232]],
    [4, 20, [0.05733399705003284, 0.436614002996668], [0.0806576625797981, 0.4160174322518935]],
    [4, 200, [0.005475565879556443, 0.05041360908989634], [0.00780442641634947, 0.05028708690582643]],
    [190, 200, [0.9099724622986486, 0.975765834527891], [0.910421851861224, 0.972617354399236]],
  ];
  for (const [k, n, exact, wilson] of vectors) {
    it(`${k}/${n}`, () => {
      const cp = clopperPearsonInterval(k, n);
      const w = wilsonInterval(k, n);
      // R's root finder stops at tol 1e-8; Wilson has a closed form
      expectRel(cp.lower, exact[0], 1e-7, 'cp lower');
      expectRel(cp.upper, exact[1], 1e-7, 'cp upper');
      expectRel(w.lower, wilson[0], 1e-12, 'wilson lower');
      expectRel(w.upper, wilson[1], 1e-12, 'wilson upper');
    });
  }

  it('pins the ends at 0 and 1 like scipy', () => {
    expect(wilsonInterval(0, 30).lower).toBe(0);
    expect(wilsonInterval(30, 30).upper).toBe(1);
    expect(clopperPearsonInterval(0, 30).lower).toBe(0);
    expect(clopperPearsonInterval(30, 30).upper).toBe(1);
  });

  it('refuses n = 0 (as scipy does) and impossible counts', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(StatsInputError);
    expect(() => clopperPearsonInterval(3, 2)).toThrow(/successes/);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(/confidence/);
  });
});

describe('weighted (Hájek) proportion', () => {
  it('equal weights give the plain proportion and Wilson interval', () => {
    // 3 incorrect of 100 audits, all at rate 0.2 (w = 5)
    const r = hajekProportion({ n: 100, sumW: 500, sumWy: 15, sumW2: 2500 });
    const plain = wilsonInterval(3, 100);
    expect(r.value).toBeCloseTo(0.03, 12);
    expect(r.nEff).toBeCloseTo(100, 9);
    expect(r.lower).toBeCloseTo(plain.lower, 12);
    expect(r.upper).toBeCloseTo(plain.upper, 12);
  });

  it('combines a 5% sample with a 100% audit by their weights', () => {
    // 40 auto-approved audited at 5% (w = 20), 2 incorrect; 10 human approvals audited at 100%, 1 incorrect
    const sums = weightSumsFromStrata([
      { sampling_rate: 0.05, audited: 40, positives: 2 },
      { sampling_rate: 1, audited: 10, positives: 1 },
    ]);
    expect(sums).toEqual({ n: 50, sumW: 810, sumWy: 41, sumW2: 16010 });
    const r = hajekProportion(sums);
    expect(r.value).toBeCloseTo(41 / 810, 12);
    expect(r.nEff).toBeCloseTo((810 * 810) / 16010, 9);
    expect(r).toMatchObject({ weightedN: 810, weightedPositives: 41, n: 50, confidence: 0.95 });
  });

  it('is undefined with no audits', () => {
    expect(hajekProportion({ n: 0, sumW: 0, sumWy: 0, sumW2: 0 })).toMatchObject({ value: null, lower: null, upper: null, nEff: 0 });
  });

  it('refuses sums that cannot come from weights', () => {
    expect(() => hajekProportion({ n: 2, sumW: 2, sumWy: 3, sumW2: 2 })).toThrow(/sumWy/);
    expect(() => weightSumsFromCases([{ weight: 0, y: 1 }])).toThrow(/cases\[0\]\.weight/);
    expect(() => weightSumsFromStrata([{ sampling_rate: 0, audited: 1, positives: 0 }])).toThrow(/sampling_rate/);
  });
});

describe('proportions against scipy, statsmodels and the Python weighted formula (seeded)', () => {
  const rng = new Rng(99, 'proportions-oracle');
  const counts: [number, number, number][] = [[0, 1, 0.95], [1, 1, 0.95], [7, 13, 0.9], [0, 500, 0.95], [499, 500, 0.99]];
  for (let i = 0; i < 10; i++) {
    const n = 1 + rng.int(i < 5 ? 50 : 5000);
    counts.push([rng.int(n + 1), n, 0.95]);
  }
  const audits = [5, 40, 400].map((size) =>
    Array.from({ length: size }, () => {
      const rate = [0.01, 0.05, 0.2, 1][rng.int(4)];
      return { weight: 1 / rate, y: rng.chance(rate === 1 ? 0.02 : 0.08) ? 1 : 0 };
    }),
  );
  audits.push(Array.from({ length: 30 }, () => ({ weight: 1 + rng.int(50), y: 0 })));
  let results: Record<string, any>[] = [];
  beforeAll(() => {
    requirePython(['scipy', 'statsmodels']);
    const cases = [
      ...counts.map(([successes, n, confidence]) => ({ kind: 'intervals', successes, n, confidence })),
      ...audits.map((a) => ({ kind: 'weighted', weights: a.map((c) => c.weight), y: a.map((c) => c.y) })),
    ];
    results = runPythonJson<{ results: Record<string, any>[] }>([ORACLE], { cases }).results;
  }, 60_000);

  counts.forEach(([k, n, confidence], i) => {
    it(`Wilson and Clopper-Pearson ${k}/${n} at ${confidence}`, () => {
      const e = results[i];
      const w = wilsonInterval(k, n, confidence);
      const cp = clopperPearsonInterval(k, n, confidence);
      for (const [name, ours, theirs] of [
        ['wilson vs scipy', [w.lower, w.upper], e.scipy_wilson],
        ['wilson vs statsmodels', [w.lower, w.upper], e.sm_wilson],
        ['clopper-pearson vs scipy', [cp.lower, cp.upper], e.scipy_exact],
        ['clopper-pearson vs statsmodels', [cp.lower, cp.upper], e.sm_beta],
      ] as const) {
        // statsmodels' Wilson lower bound at k = 0 is rounding noise around 0 (scipy pins it)
        for (const j of [0, 1]) expect(Math.abs(ours[j] - theirs[j]), `${name}[${j}]`).toBeLessThanOrEqual(1e-9 * Math.abs(theirs[j]) + 1e-15);
      }
    });
  });

  audits.forEach((a, i) => {
    it(`Hájek estimate with a Kish-n_eff Wilson interval, ${a.length} audits`, () => {
      const e = results[counts.length + i];
      const r = hajekProportion(weightSumsFromCases(a));
      expectRel(r.value, e.estimate, 1e-12, 'estimate');
      expectRel(r.nEff, e.n_eff, 1e-12, 'n_eff');
      expectRel(r.weightedPositives, e.ht_total, 1e-12, 'HT total');
      expect(Math.abs(r.lower! - e.lower)).toBeLessThanOrEqual(1e-9 * e.lower + 1e-15);
      expectRel(r.upper, e.upper, 1e-9, 'upper');
    });
  });
});

describe('the 95% normal quantile', () => {
  // written out so that a report need not load @stdlib's normal quantile for it
  it('is the value @stdlib computes, to the bit', () => {
    expect(Z_95).toBe(normalQuantile(0.975, 0, 1));
    expect(Z_95).toBe(normalQuantile(0.5 + 0.5 * 0.95, 0, 1));
  });
});
