import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binomialCusum,
  chi2Contingency2xK,
  chiSquareHomogeneity,
  jensenShannon,
  jensenShannonDistance,
  ksTwoSample,
  kstwoSf,
  psiCategorical,
  psiNumeric,
  smirnovSf,
  tally,
  twoProportionZTest,
  wasserstein,
  type KsAlternative,
  type RateAlternative,
  type WeightedSample,
} from '../../../src/metrics/stats/drift/index.js';
import { Rng } from '../../../src/simulate/random.js';
import { requirePython, runPythonJson } from '../../helpers/python.js';

// Seeded random data against scipy/statsmodels (test/oracles/drift_oracle.py), to 1e-9
// relative. The oracle is required: without it these tests fail, they never skip.
const ORACLE = path.resolve(import.meta.dirname, '../../oracles/drift_oracle.py');
const REL = 1e-9;

function close(actual: number | null | undefined, expected: number | null, label: string, abs = 1e-15): void {
  expect(actual, label).not.toBeNull();
  expect(expected, `${label}: oracle gave NaN`).not.toBeNull();
  const tol = Math.max(REL * Math.abs(expected as number), abs);
  expect(Math.abs((actual as number) - (expected as number)), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

const rng = new Rng(20240611, 'drift-oracle');
const normals = (n: number, mu: number, sd: number, decimals?: number) =>
  Array.from({ length: n }, () => {
    const v = mu + sd * rng.normal();
    return decimals === undefined ? v : Math.round(v * 10 ** decimals) / 10 ** decimals;
  });
const sampleCase = (prefix: string, s: WeightedSample) => ({ [`${prefix}_values`]: s.values, [`${prefix}_counts`]: s.counts });

type Case = { kind: string; [k: string]: unknown };
const cases: Case[] = [];
const checks: { name: string; index: number; check: (expected: Record<string, any>) => void }[] = [];
function add(name: string, c: Case, check: (expected: Record<string, any>) => void) {
  checks.push({ name, index: cases.length, check });
  cases.push(c);
}

// KS: tiny, medium, exact at the 10000 limit, asymptotic above it (balanced and lopsided).
const ksSizes: [number, number][] = [[1, 1], [1, 4], [3, 5], [8, 8], [25, 40], [300, 301], [2000, 5000], [10000, 7000], [12000, 11000], [30000, 7]];
for (const [n1, n2] of ksSizes)
  for (const shift of [0, 0.25])
    for (const decimals of [undefined, 1]) {
      const ref = tally(normals(n1, 0, 1, decimals));
      const cur = tally(normals(n2, shift, 1.2, decimals));
      const alternatives: KsAlternative[] = n1 + n2 < 1000 || shift === 0 ? ['two-sided', 'less', 'greater'] : ['two-sided'];
      for (const alternative of alternatives) {
        const name = `ks ${n1} vs ${n2}, shift ${shift}, ${decimals === undefined ? 'continuous' : 'ties'}, ${alternative}`;
        add(name, { kind: 'ks', ...sampleCase('ref', ref), ...sampleCase('cur', cur), alternative }, (e) => {
          const r = ksTwoSample(ref, cur, { alternative });
          close(r.statistic, e.statistic, 'statistic');
          close(r.pvalue, e.pvalue, 'pvalue', 1e-300);
          expect([r.statistic_location, r.statistic_sign]).toEqual([e.location, e.sign]);
        });
      }
    }

// kstwo and smirnov across every region scipy's algorithm selection distinguishes.
for (const n of [1, 2, 7, 40, 140, 141, 1000, 5000, 20000, 100000, 100001])
  for (const z of [0.2, 0.6, 0.85, 1.0, 1.3, 1.6, 2.1, 3.5, 8]) {
    const x = z / Math.sqrt(n);
    if (x >= 1) continue;
    add(`kstwo.sf n=${n} x=${x}`, { kind: 'special', fn: 'kstwo_sf', n, x }, (e) => close(kstwoSf(n, x), e.value, 'kstwo', 1e-300));
    add(`smirnov n=${n} x=${x}`, { kind: 'special', fn: 'smirnov', n, x }, (e) => close(smirnovSf(n, x), e.value, 'smirnov', 1e-300));
  }

for (const [i, [n1, n2, bins]] of ([[200, 180, 10], [1000, 900, 10], [50, 3000, 5], [500, 500, 20]] as const).entries())
  for (const decimals of [undefined, 0]) {
    const ref = tally(normals(n1, 0, 2, decimals));
    const cur = tally(normals(n2, i * 0.2, 2.4, decimals));
    add(`psi ${n1} vs ${n2}, ${bins} bins, ${decimals === undefined ? 'continuous' : 'ties'}`,
      { kind: 'psi_numeric', ...sampleCase('ref', ref), ...sampleCase('cur', cur), bins, epsilon: 1e-4 }, (e) => {
        const r = psiNumeric(ref, cur, { bins });
        close(r.statistic, e.statistic, 'psi');
        expect(r.bins.map((b) => b.upper).slice(0, -1)).toEqual(e.edges);
        expect(r.bins.map((b) => [b.ref, b.cur])).toEqual(e.ref_counts.map((c: number, j: number) => [c, e.cur_counts[j]]));
      });
  }

for (const k of [2, 3, 8]) {
  const counts = (): number[] => Array.from({ length: k }, () => (rng.chance(0.2) ? 0 : rng.int(200)));
  const p = counts();
  const q = counts();
  if (Math.max(...p) === 0) p[0] = 5;
  if (Math.max(...q) === 0) q[0] = 5;
  const asMap = (c: number[]) => Object.fromEntries(c.map((v, j) => [`c${j}`, v]));
  add(`psi categorical k=${k}`, { kind: 'psi_counts', ref: p, cur: q, epsilon: 1e-4 }, (e) =>
    close(psiCategorical(asMap(p), asMap(q)).statistic, e.statistic, 'psi'));
  for (const base of [2, Math.E])
    add(`jensenshannon k=${k} base ${base}`, { kind: 'jensenshannon', p, q, base }, (e) =>
      close(jensenShannonDistance(p, q, base), e.statistic, 'js'));
  const cols = p.map((c, j) => [c, q[j]]).filter(([a, b]) => a + b > 0);
  for (const correction of [true, false])
    add(`chi2_contingency 2x${cols.length} correction=${correction}`,
      { kind: 'chi2', table: [cols.map((c) => c[0]), cols.map((c) => c[1])], correction }, (e) => {
        const r = chi2Contingency2xK(cols.map((c) => c[0]), cols.map((c) => c[1]), correction);
        close(r.statistic, e.statistic, 'chi2');
        close(r.pvalue, e.pvalue, 'pvalue', 1e-300);
        expect(r.dof).toBe(e.dof);
      });
}
for (const [a, b] of [[[12, 88], [25, 75]], [[3, 1], [1, 3]], [[0, 10], [7, 3]], [[500, 20000], [620, 19000]]])
  for (const correction of [true, false])
    add(`chi2_contingency 2x2 ${JSON.stringify([a, b])} correction=${correction}`, { kind: 'chi2', table: [a, b], correction }, (e) => {
      const r = chi2Contingency2xK(a, b, correction);
      close(r.statistic, e.statistic, 'chi2');
      close(r.pvalue, e.pvalue, 'pvalue', 1e-300);
    });

for (const [nRef, nCur, shift] of [[10000, 800, 0.02], [50, 60, 0], [300, 3000, 0.05], [20, 20, 0.3]]) {
  const ref = { n: nRef, successes: Math.round(nRef * 0.1) };
  const cur = { n: nCur, successes: Math.round(nCur * (0.1 + shift)) };
  const sm = { 'two-sided': 'two-sided', increase: 'larger', decrease: 'smaller' } as const;
  for (const alternative of ['two-sided', 'increase', 'decrease'] as RateAlternative[])
    add(`proportions_ztest ${JSON.stringify([ref, cur])} ${alternative}`,
      { kind: 'ztest', count: [cur.successes, ref.successes], nobs: [cur.n, ref.n], alternative: sm[alternative] }, (e) => {
        const r = twoProportionZTest(ref, cur, { alternative });
        close(r.statistic, e.statistic, 'z');
        close(r.pvalue, e.pvalue, 'pvalue', 1e-300);
      });
}

for (const [i, weighted] of [false, true, false].entries()) {
  const values = (n: number, mu: number) => normals(n, mu, 1, 2);
  const u = tally(values(400 + i * 300, 0));
  const v = tally(values(250, 0.3 * i));
  const w = (s: WeightedSample) => (weighted ? { values: s.values, counts: s.counts.map(() => 0.5 + rng.next() * 3) } : s);
  const a = w(u);
  const b = w(v);
  add(`wasserstein ${weighted ? 'fractional weights' : 'counts'} #${i}`,
    { kind: 'wasserstein', ...sampleCase('ref', a), ...sampleCase('cur', b) }, (e) => {
      const r = wasserstein(a, b);
      close(r.statistic, e.statistic, 'wasserstein');
      close(r.ref_std, e.ref_std, 'std');
      close(r.normed, e.normed, 'normed');
    });
}

for (const [p0, nPer, rise] of [[0.1, 100, 0.04], [0.02, 500, 0.01], [0.3, 40, 0]]) {
  const buckets = Array.from({ length: 30 }, (_, t) => {
    const n = t === 7 ? 0 : nPer + rng.int(nPer);
    const p = p0 + (t >= 15 ? rise : 0);
    let x = 0;
    for (let j = 0; j < n; j++) if (rng.chance(p)) x++;
    return { n, successes: x };
  });
  add(`cusum p0=${p0} rise=${rise}`, {
    kind: 'cusum', p0, k: 0.5, h: 5, n: buckets.map((b) => b.n), x: buckets.map((b) => b.successes),
  }, (e) => {
    const r = binomialCusum({ n: 1000, successes: p0 * 1000 }, buckets);
    r.path.forEach((s, t) => close(s, e.path[t], `C_${t}`, 1e-12));
    expect(r.signal_index).toBe(e.signal);
  });
}

// Edge cases: what the reference does, and what we do instead where it raises or gives NaN.
const empty = { values: [], counts: [] };
add('edge: KS with an empty window (scipy raises; we report insufficient data)', {
  kind: 'ks', ...sampleCase('ref', empty), ...sampleCase('cur', tally([1, 2])),
}, (e) => {
  expect(e.error).toMatch(/must not be empty/);
  expect(ksTwoSample(empty, tally([1, 2]))).toMatchObject({ statistic: null, pvalue: null, drifted: false, reason: 'insufficient data' });
});
for (const [label, x, y] of [['all ties', [4, 4, 4], [4, 4]], ['identical', [1, 2, 2, 3], [1, 2, 2, 3]]] as const)
  add(`edge: KS ${label}`, { kind: 'ks', ...sampleCase('ref', tally([...x])), ...sampleCase('cur', tally([...y])) }, (e) => {
    expect([e.statistic, e.pvalue]).toEqual([0, 1]);
    expect(ksTwoSample(tally([...x]), tally([...y]))).toMatchObject({ statistic: 0, pvalue: 1, drifted: false });
  });
add('edge: chi-square with a category absent from both windows (scipy raises; we drop it)',
  { kind: 'chi2', table: [[10, 0, 20], [20, 0, 20]] }, (e) => expect(e.error).toMatch(/zero element/));
add('edge: chi-square, the same table without the empty category',
  { kind: 'chi2', table: [[10, 20], [20, 20]] }, (e) => {
    const r = chiSquareHomogeneity({ a: 10, b: 0, c: 20 }, new Map([['a', 20], ['b', 0], ['c', 20]]));
    expect(r.categories).toEqual(['a', 'c']);
    close(r.statistic, e.statistic, 'chi2');
    close(r.pvalue, e.pvalue, 'pvalue');
  });
add('edge: chi-square with one category only (scipy: dof 0, chi2 0, p 1)', { kind: 'chi2', table: [[5], [7]] }, (e) => {
  expect([e.statistic, e.pvalue, e.dof]).toEqual([0, 1, 0]);
  expect(chiSquareHomogeneity({ only: 5 }, { only: 7 })).toMatchObject({ statistic: 0, pvalue: 1, dof: 0, drifted: false });
});
add('edge: chi-square on identical mixes', { kind: 'chi2', table: [[5, 5], [5, 5]] }, (e) => {
  expect([e.statistic, e.pvalue]).toEqual([0, 1]);
  expect(chiSquareHomogeneity({ a: 5, b: 5 }, { a: 5, b: 5 })).toMatchObject({ statistic: 0, pvalue: 1 });
});
add('edge: Jensen-Shannon of an empty mix (scipy: NaN; we: insufficient data)', { kind: 'jensenshannon', p: [0, 0], q: [1, 1] }, (e) => {
  expect(e.statistic).toBeNull();
  expect(jensenShannon({ a: 0, b: 0 }, { a: 1, b: 1 })).toMatchObject({ statistic: null, reason: 'insufficient data' });
});
add('edge: Jensen-Shannon of disjoint mixes is 1 in base 2', { kind: 'jensenshannon', p: [1, 0], q: [0, 1], base: 2 }, (e) => {
  expect(e.statistic).toBe(1);
  expect(jensenShannon({ a: 1 }, { b: 1 }).statistic).toBe(1);
});
add('edge: Jensen-Shannon of identical mixes is 0', { kind: 'jensenshannon', p: [3, 4], q: [3, 4] }, (e) => {
  expect(e.statistic).toBe(0);
  expect(jensenShannon({ a: 3, b: 4 }, { a: 6, b: 8 }).statistic).toBe(0);
});
add('edge: z-test with no events in either window (statsmodels: NaN; we: no variation)',
  { kind: 'ztest', count: [0, 0], nobs: [10, 20], alternative: 'two-sided' }, (e) => {
    expect([e.statistic, e.pvalue]).toEqual([null, null]);
    expect(twoProportionZTest({ n: 20, successes: 0 }, { n: 10, successes: 0 })).toMatchObject({ statistic: null, pvalue: null, drifted: false });
  });
add('edge: Wasserstein of identical samples', { kind: 'wasserstein', ...sampleCase('ref', tally([1, 2])), ...sampleCase('cur', tally([2, 1])) }, (e) => {
  expect(e.statistic).toBe(0);
  expect(wasserstein(tally([1, 2]), tally([2, 1])).statistic).toBe(0);
});

let results: Record<string, any>[] = [];
beforeAll(() => {
  requirePython(['scipy', 'statsmodels']);
  results = runPythonJson<{ results: Record<string, any>[] }>([ORACLE], { cases }).results;
}, 120_000);

describe('drift statistics against scipy and statsmodels (seeded random data)', () => {
  for (const { name, index, check } of checks) it(name, () => check(results[index]));
});
