/**
 * The triage what-if's false-accept interval against the truth only the simulator knows (each
 * case's true label, src/simulate onCaseDrawn): over 40 seeds, the 95% interval should cover the
 * true share of wrong model outputs among the cases a threshold would auto-approve about 95%
 * of the time. The truth is computed here from the simulated events and the hidden labels, not
 * by the SQL under test. Estimator and assumptions: docs/whatif.md.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HIGH_RISK_SIGNALS } from '../../src/events/vocabulary.js';
import type { EventRow } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { cutParams } from '../../src/metrics/cuts.js';
import { estimateWhatIf } from '../../src/review/whatif.js';
import { simulate, type DrawnCase } from '../../src/simulate/index.js';
import { Q } from '../../src/store/queries.js';
import { openTestStore, tempDir } from '../helpers/stores.js';

const SEEDS = 40;
const CASES = 2_500;
const WORKFLOW = 'support_drafting';
// below and above the workflow's threshold in force (0.8): evidence from reviews, then from audits
const THRESHOLDS = [0.7, 0.85];
const HIGH = new Set<string>(HIGH_RISK_SIGNALS);
// 2,500 cases at 120 an hour arrive within a day; audits follow within about a day more
const SPAN_MS = 4 * 86_400_000;

describe('what-if false-accept interval covers the simulated truth', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it(`covers at about the nominal 95% over ${SEEDS} seeds`, async () => {
    const validate = createValidator();
    const hits: Record<number, number> = Object.fromEntries(THRESHOLDS.map((t) => [t, 0]));
    const trials: Record<number, number> = Object.fromEntries(THRESHOLDS.map((t) => [t, 0]));
    const misses: string[] = [];
    // intervals wholly below the truth: the estimate would understate the risk of auto-approval
    const understated: string[] = [];
    // every seed in one store, each in a time span of its own: one load and one refresh
    const seeds: { seed: number; from: Date; to: Date; truth: Map<string, DrawnCase>; cases: Map<string, { confidence: number; risks: string[]; lane?: string }> }[] = [];
    const rows: EventRow[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const from = new Date(Date.UTC(2026, 0, 1) + seed * SPAN_MS);
      const s = { seed, from, to: new Date(from.getTime() + SPAN_MS), truth: new Map<string, DrawnCase>(), cases: new Map<string, { confidence: number; risks: string[]; lane?: string }>() };
      seeds.push(s);
      for (const batch of simulate({ seed, cases: CASES, start: from, casesPerHour: 120, workflows: [WORKFLOW], onCaseDrawn: (t) => s.truth.set(t.case_id, t) }, 5_000)) {
        for (const e of batch) {
          if (e.type === 'case.created') s.cases.set(e.case_id as string, { confidence: e.confidence as number, risks: (e.risk_signals as string[]) ?? [] });
          if (e.type === 'case.triaged') s.cases.get(e.case_id as string)!.lane = e.lane as string;
          const r = validate(e, rows.length, Date.UTC(2027, 0, 1));
          if (!r.ok) throw new Error(r.rejected.reason);
          rows.push(r.row);
        }
      }
    }
    const store = await openTestStore('duckdb', tmp.dir);
    try {
      for (let i = 0; i < rows.length; i += 50_000) await store.insertEvents(rows.slice(i, i + 50_000));
      await store.refreshDerived();
      for (const { seed, from, to, truth, cases } of seeds) {
        const bins = await store.query(Q.whatIfBins, { ...cutParams({ workflow: WORKFLOW, from, to }), high_risk_signals: [...HIGH_RISK_SIGNALS] });
        const w = estimateWhatIf(bins, THRESHOLDS);
        for (const t of THRESHOLDS) {
          const pool = [...cases.entries()].filter(([, c]) => c.confidence >= t && (c.lane === 'auto_approve' || c.lane === 'human_review') && !c.risks.some((r) => HIGH.has(r)));
          const wrong = pool.filter(([id]) => truth.get(id)!.true_label !== truth.get(id)!.model_label).length;
          const trueRate = wrong / pool.length;
          const g = w.grid.find((x) => x.threshold === t)!;
          // the population the estimate speaks for is the one counted here
          expect(g.auto_approved).toBe(pool.length);
          const [lo, hi] = g.false_accept.ci95!;
          trials[t]++;
          if (hi < trueRate) understated.push(`seed ${seed} t=${t}`);
          if (lo <= trueRate && trueRate <= hi) hits[t]++;
          else misses.push(`seed ${seed} t=${t}: truth ${trueRate.toFixed(4)} outside [${lo.toFixed(4)}, ${hi.toFixed(4)}] (estimate ${g.false_accept.value!.toFixed(4)}, n_eff ${g.false_accept.n_eff.toFixed(0)})`);
        }
      }
    } finally {
      await store.close();
    }
    const coverage = THRESHOLDS.map((t) => hits[t] / trials[t]);
    console.info(`what-if coverage over ${SEEDS} seeds: ${THRESHOLDS.map((t, i) => `t=${t}: ${(coverage[i] * 100).toFixed(1)}%`).join(', ')}\n${misses.join('\n')}`);
    // a 95% interval over 40 independent seeds: the number covering is Binomial(40, 0.95);
    // P(X <= 34) = 0.014, so 35 or more of 40 (87.5%) is the tolerance; a badly biased or
    // too-narrow interval (nominal 95%, real 80%) lands below it with probability 0.84
    for (const t of THRESHOLDS) expect(hits[t], `t=${t}`).toBeGreaterThanOrEqual(35);
    // measured: every miss lies above the truth. Reviewers (80-97% accurate) sometimes override a
    // right output and auditors (95-99%) sometimes flag one, and the estimate counts those as model
    // errors: it is biased upward by a few points (docs/whatif.md). An interval below the truth
    // would be the dangerous direction, and none is.
    expect(understated).toEqual([]);
  }, 600_000);
});
