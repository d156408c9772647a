import { describe, expect, it } from 'vitest';
import { checkThreshold, estimateWhatIf } from '../../../src/review/whatif.js';
import type { WhatIfBinRow } from '../../../src/store/review-rows.js';
import { requirePython, runPythonJson } from '../../helpers/python.js';

const bin = (b: number, over: Partial<WhatIfBinRow>): WhatIfBinRow => ({
  workflow: 'wf', bin: b, cases: 0, human_lane_cases: 0, eligible: 0, auto_cases: 0, reviewed_cases: 0, human_n: 0, human_wrong: 0,
  audit_n: 0, audit_w: 0, audit_wy: 0, audit_w2: 0, review_seconds: 0, review_timed: 0, ...over,
});

// 0.60: reviewed; 0.80 and 0.95: auto-approved, audited at 10% (weight 10); 0.30: not eligible
const BINS = [
  bin(300, { cases: 50, human_lane_cases: 50 }),
  bin(600, { cases: 100, human_lane_cases: 100, eligible: 100, reviewed_cases: 100, human_n: 98, human_wrong: 20, review_seconds: 98 * 600, review_timed: 98 }),
  bin(800, { cases: 200, eligible: 200, auto_cases: 200, audit_n: 20, audit_w: 200, audit_wy: 30, audit_w2: 2000 }),
  bin(950, { cases: 150, eligible: 150, auto_cases: 150, audit_n: 15, audit_w: 150, audit_wy: 10, audit_w2: 1500 }),
];

describe('the threshold what-if estimator', () => {
  const w = estimateWhatIf(BINS, [0.6, 0.9]);
  const at = (t: number) => w.grid.find((g) => g.threshold === t)!;

  it('infers the threshold in force and adds it to the grid', () => {
    expect(w.current).toBe(0.8);
    expect(w.current_source).toBe('inferred');
    expect(w.grid.map((g) => g.threshold)).toEqual([0.6, 0.8, 0.9]);
    expect(estimateWhatIf(BINS, [0.6], 0.7).current_source).toBe('given');
  });

  it('counts the cases a threshold auto-approves, the hours and the review load it moves', () => {
    expect(at(0.6)).toMatchObject({ auto_approved: 450, auto_share: 450 / 500, hours_saved: (100 * 600) / 3600, hours_added: 0 });
    expect(at(0.6).review_load).toEqual({ cases: 50, vs_current: 50 / 150 });
    expect(at(0.8)).toMatchObject({ auto_approved: 350, hours_saved: 0, hours_added: 0 });
    expect(at(0.8).review_load.vs_current).toBe(1);
    // 200 auto-approved cases at 0.80 would go to review, at the 600 s a review took
    expect(at(0.9)).toMatchObject({ auto_approved: 150, hours_saved: 0, hours_added: (200 * 600) / 3600 });
    expect(at(0.9).review_load.cases).toBe(350);
  });

  it('estimates the false-accept share as statsmodels does: Hájek ratio, Wilson at Kish n_eff', () => {
    requirePython(['statsmodels']);
    // an independent computation from the same weighted cases, not from the code's sums
    const script = [
      'import json, sys',
      'from statsmodels.stats.proportion import proportion_confint',
      'cases = json.load(sys.stdin)',
      'out = []',
      'for group in cases:',
      '    sw = sum(w for w, y in group); swy = sum(w * y for w, y in group); sw2 = sum(w * w for w, y in group)',
      '    p = swy / sw; neff = sw * sw / sw2',
      '    lo, hi = proportion_confint(p * neff, neff, alpha=0.05, method="wilson")',
      '    out.append([p, lo, hi])',
      'print(json.dumps(out))',
    ].join('\n');
    const expand = (n: number, wrong: number, w: number) => [...Array(n)].map((_, i) => [w, i < wrong ? 1 : 0]);
    // audited cases: 30 weighted-wrong of weight 10 = 3 wrong audits of 20; 10 = 1 of 15
    const groups = [
      [...expand(98, 20, 1), ...expand(20, 3, 10), ...expand(15, 1, 10)],
      [...expand(20, 3, 10), ...expand(15, 1, 10)],
      expand(15, 1, 10),
    ];
    const oracle = runPythonJson<[number, number, number][]>(['-c', script], groups);
    [0.6, 0.8, 0.9].forEach((t, i) => {
      const fa = at(t).false_accept;
      expect(fa.value!).toBeCloseTo(oracle[i][0], 12);
      expect(fa.ci95![0]).toBeCloseTo(oracle[i][1], 10);
      expect(fa.ci95![1]).toBeCloseTo(oracle[i][2], 10);
    });
    expect(at(0.6).false_accept).toMatchObject({ evidence: 133, reviewed: 98, audits: 35 });
  });

  it('says "no estimate" where no case gives evidence, and refuses a threshold outside [0, 1]', () => {
    const none = estimateWhatIf([bin(990, { cases: 5, eligible: 5, auto_cases: 5 })], [0.99]);
    expect(none.grid[0].false_accept).toMatchObject({ value: null, ci95: null, evidence: 0 });
    for (const bad of ['1.5', '-0.1', 'high', '']) expect(() => checkThreshold(bad), bad).toThrow(/between 0 and 1/);
    expect(checkThreshold('0.85')).toBe(0.85);
  });
});
