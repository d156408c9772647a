import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clopperPearsonInterval, hajekProportion, wilsonInterval } from '../../../src/metrics/stats/proportions.js';
import { ORACLE_PYTHON, requirePython } from '../../helpers/python.js';
import { spawnSync } from 'node:child_process';

const reference = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../../shared/reference/drift.json'), 'utf8'));

describe('proportion intervals against scipy binomtest(...).proportion_ci', () => {
  for (const c of reference.proportion_intervals as { successes: number; n: number; wilson: number[]; clopper_pearson: number[] }[]) {
    it(`${c.successes}/${c.n}`, () => {
      const w = wilsonInterval(c.successes, c.n);
      expect(w.lower).toBeCloseTo(c.wilson[0], 6);
      expect(w.upper).toBeCloseTo(c.wilson[1], 6);
      const cp = clopperPearsonInterval(c.successes, c.n);
      expect(cp.lower).toBeCloseTo(c.clopper_pearson[0], 5);
      expect(cp.upper).toBeCloseTo(c.clopper_pearson[1], 5);
    });
  }
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
    // Σw = 40·20 + 10 = 810, Σwy = 2·20 + 1 = 41 → 41/810; Σw² = 40·400 + 10 = 16010 → n_eff = 810²/16010
    const r = hajekProportion({ n: 50, sumW: 810, sumWy: 41, sumW2: 16010 });
    expect(r.value).toBeCloseTo(41 / 810, 12);
    expect(r.nEff).toBeCloseTo((810 * 810) / 16010, 9);
    expect(r.weightedN).toBe(810);
    // statsmodels' Wilson interval at the effective sample size (it takes fractional counts)
    requirePython(['statsmodels']);
    const py = spawnSync(
      ORACLE_PYTHON,
      ['-c', 'from statsmodels.stats.proportion import proportion_confint as c; n=810**2/16010; print(*c(41/810*n, n, alpha=0.05, method="wilson"))'],
      { encoding: 'utf8' },
    );
    const [lo, hi] = py.stdout.trim().split(' ').map(Number);
    expect(r.lower).toBeCloseTo(lo, 10);
    expect(r.upper).toBeCloseTo(hi, 10);
  });

  it('is undefined with no audits', () => {
    expect(hajekProportion({ n: 0, sumW: 0, sumWy: 0, sumW2: 0 }).value).toBeNull();
  });
});
