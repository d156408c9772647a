/**
 * The weighted (Horvitz-Thompson, 1/rate; Hájek ratio as the false-accept metric computes it)
 * false-accept estimate stays unbiased when the sampling rate changes with drift: over 30 seeds,
 * the estimate from the sampled audits is compared with the simulator's known value over every
 * accepted auto-approved case (each gets the verdict an audit would give, emitted only when
 * sampled). The rate follows what the controller does on this timeline (sampling-controller
 * test): 5%, up to 20% and 50% during the drift, back down after it. The mean error must be
 * within 3 standard errors of 0, and scipy's one-sample t-test must not reject 0 at 0.1%.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/feedback/sampling/decide.js';
import { simulateEvents, type CaseTruth } from '../../../src/simulate/index.js';
import { requirePython, runPythonJson } from '../../helpers/python.js';

const H = 3_600_000;
const START = Date.UTC(2026, 9, 1);
const DRIFT_AT = START + 48 * H;
const DRIFT_UNTIL = START + 84 * H;
const SEEDS = 30;

/** The controller's rate over time on this timeline (12 h windows, 2 of 3 to tighten, 2 clean to relax). */
function rateAt(t: number): number {
  if (t < DRIFT_AT + 24 * H) return 0.05;
  if (t < DRIFT_AT + 36 * H) return 0.2;
  if (t < DRIFT_UNTIL + 24 * H) return 0.5;
  if (t < DRIFT_UNTIL + 48 * H) return 0.2;
  return 0.05;
}

interface SeedFigures {
  truth: number;
  wrong: number;
  weighted: number;
  naive: number;
  audits: number;
}

function oneSeed(seed: number): SeedFigures {
  const truths: CaseTruth[] = [];
  for (const _ of simulateEvents({
    seed,
    cases: 100 * 144,
    start: new Date(START),
    casesPerHour: 100,
    driftAt: new Date(DRIFT_AT),
    driftUntil: new Date(DRIFT_UNTIL),
    sampler: ({ caseId, at }) => ({ sample: decide(caseId, rateAt(at)), rate: rateAt(at) }),
    onCase: (t) => truths.push(t),
  }));
  const accepted = truths.filter((t) => t.accepted);
  const audited = accepted.filter((t) => t.sampled);
  const y = (t: CaseTruth) => (t.auditVerdict === 'incorrect' ? 1 : 0);
  const sumW = audited.reduce((s, t) => s + 1 / t.rate!, 0);
  return {
    truth: accepted.reduce((s, t) => s + y(t), 0) / accepted.length,
    wrong: accepted.filter((t) => t.wrong).length / accepted.length,
    weighted: audited.reduce((s, t) => s + y(t) / t.rate!, 0) / sumW,
    naive: audited.reduce((s, t) => s + y(t), 0) / audited.length,
    audits: audited.length,
  };
}

describe('false-accept estimate across a sampling-rate change', () => {
  it(`is unbiased over ${SEEDS} seeds against the simulator's known value`, () => {
    requirePython(['scipy']);
    const seeds = Array.from({ length: SEEDS }, (_, i) => oneSeed(1000 + i));
    const diffs = seeds.map((s) => s.weighted - s.truth);
    const naiveDiffs = seeds.map((s) => s.naive - s.truth);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const se = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
    const oracle = runPythonJson<{ weighted: [number, number]; naive: [number, number] }>(
      ['-c', 'import json,sys\nfrom scipy import stats\nq=json.load(sys.stdin)\nprint(json.dumps({k: list(stats.ttest_1samp(v, 0.0)) for k, v in q.items()}))'],
      { weighted: diffs, naive: naiveDiffs },
    );
    console.info(
      `false-accept estimate over ${SEEDS} seeds (mean audits per seed ${mean(seeds.map((s) => s.audits)).toFixed(0)}): ` +
        `known value ${mean(seeds.map((s) => s.truth)).toFixed(4)} (wrong-label rate ${mean(seeds.map((s) => s.wrong)).toFixed(4)}); ` +
        `weighted bias ${mean(diffs).toExponential(2)} ± ${se(diffs).toExponential(2)} (t-test p ${oracle.weighted[1].toFixed(3)}); ` +
        `unweighted bias ${mean(naiveDiffs).toExponential(2)} ± ${se(naiveDiffs).toExponential(2)} (p ${oracle.naive[1].toExponential(2)})`,
    );
    expect(Math.abs(mean(diffs))).toBeLessThan(3 * se(diffs));
    expect(oracle.weighted[1]).toBeGreaterThan(0.001);
  }, 300_000);
});
