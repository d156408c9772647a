import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftConfigSchema, driftFamily, type DriftMetrics } from '../../src/metrics/families/drift.js';
import { defaultMetricsConfig, type MetricsConfig } from '../../src/config/metrics.js';
import { simulate } from '../../src/simulate/index.js';
import { DRIFT_MODEL_VERSION, MODEL_VERSION } from '../../src/simulate/workflows.js';
import { defaultStart } from '../../src/cli/simulate.js';
import { metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { requirePython, runPythonJson } from '../helpers/python.js';
import { forEachStore } from '../helpers/stores.js';

// Issue 11: one day after an upgrade, the new version's trailing reference was its own first
// day, so the drift the upgrade brought compared with itself and never showed. Windows with the
// fixture's default now (2026-11-24T12:00Z): current [11-23T12:00, now), reference the 7 days
// before. m1 runs six days from the reference's start; m2 replaces it a day before the current
// window (30 cases in the reference, 30 in the current window), with lower confidence and five
// overrides in ten where m1 had one.
const NOW = Date.UTC(2026, 10, 24, 12);
const HOUR = 3_600_000;
const CUR_FROM = NOW - 24 * HOUR;
const REF_FROM = CUR_FROM - 7 * 24 * HOUR;
const UPGRADE = CUR_FROM - 24 * HOUR;

const events: Record<string, unknown>[] = [];
const confidences: Record<'m1' | 'm2ref' | 'm2cur', number[]> = { m1: [], m2ref: [], m2cur: [] };
function addCase(id: string, at: number, model: string, confidence: number, override: boolean): void {
  const ts = (min: number) => new Date(at + min * 60_000).toISOString();
  events.push({ event_id: `${id}-1`, type: 'case.created', ts: ts(0), case_id: id, workflow: 'upgrade', tier: 2, model_version: model, confidence, model_label: 'billing' });
  events.push({ event_id: `${id}-2`, type: 'case.triaged', ts: ts(1), case_id: id, lane: 'human_review' });
  events.push(
    override
      ? { event_id: `${id}-3`, type: 'review.decided', ts: ts(5), case_id: id, actor_id: 'r1', decision: 'override', final_label: 'refund', reason_code: 'wrong_category' }
      : { event_id: `${id}-3`, type: 'review.decided', ts: ts(5), case_id: id, actor_id: 'r1', decision: 'approve' },
  );
}
for (let i = 0; i < 180; i++) {
  const c = 0.6 + (i % 30) / 100;
  confidences.m1.push(c);
  addCase(`m1-${i}`, REF_FROM + Math.floor((i * 6 * 24 * HOUR) / 180), 'm1', c, i % 10 === 0);
}
for (let i = 0; i < 60; i++) {
  const c = Math.round((0.35 + (i % 30) / 100) * 100) / 100;
  confidences[i < 30 ? 'm2ref' : 'm2cur'].push(c);
  addCase(`m2-${i}`, UPGRADE + Math.floor((i * 48 * HOUR) / 60), 'm2', c, i % 10 < 5);
}

const KS = `
import json, sys
from scipy import stats
d = json.load(sys.stdin)
r = stats.ks_2samp(d["ref"], d["cur"])
print(json.dumps([float(r.statistic), float(r.pvalue)]))`;

const config = (drift: Record<string, unknown>) => ({ ...defaultMetricsConfig(), drift: driftConfigSchema.parse(drift) }) as MetricsConfig;

forEachStore((kind) =>
  describe('drift after a model upgrade', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(events, kind);
    });
    afterAll(() => fx?.close());

    it('compares a version without a full reference window of its own with its predecessor, and says so', async () => {
      requirePython(['scipy']);
      const { groups } = await fx.compute(driftFamily);
      const m2 = groups.find((g) => g.key.model_version === 'm2')!.metrics as DriftMetrics;
      expect(m2.drifted).toBe(true);
      expect(m2.window.reference).toMatchObject({
        cases: 180,
        compared_with: 'predecessor_model_version',
        model_version: 'm1',
        model_version_since: new Date(UPGRADE).toISOString(),
      });
      expect(m2.window.reference.note).toMatch(/^model_version "m2" was first seen .* compared with its predecessor "m1"/);
      expect(m2.window.current.cases).toBe(30);
      const [statistic, pvalue] = runPythonJson<[number, number]>(['-c', KS], { ref: confidences.m1, cur: confidences.m2cur });
      expect(m2.confidence.ks.statistic).toBeCloseTo(statistic, 12);
      expect(m2.confidence.ks.pvalue).toBeCloseTo(pvalue, 12);
      expect(m2.rates.override.two_proportion).toMatchObject({ n_ref: 180, n_cur: 30, rate_ref: 0.1, rate_cur: 0.5 });
      expect(m2.drifted_checks).toEqual(expect.arrayContaining(['confidence.ks', 'rates.override.two_proportion']));
      // m1 has no current case: listed, with nothing to judge
      const m1 = groups.find((g) => g.key.model_version === 'm1')!.metrics as DriftMetrics;
      expect([m1.status, m1.drifted, m1.window.reference.compared_with]).toEqual(['insufficient data', false, 'same_model_version']);
    });

    it('keeps the filtered version its predecessor, and uses its own reference once that window is full', async () => {
      const filtered = await fx.compute(driftFamily, { model_version: 'm2' });
      expect(filtered.groups.map((g) => [g.key.model_version, (g.metrics as DriftMetrics).window.reference.model_version])).toEqual([['m2', 'm1']]);
      // a baseline pinned inside m2's life: m2 covers it all, so it is its own reference
      const pinned = await fx.compute(driftFamily, { model_version: 'm2' }, { config: config({ baseline: { from: new Date(UPGRADE).toISOString(), to: new Date(CUR_FROM).toISOString() } }) });
      const own = pinned.groups[0].metrics as DriftMetrics;
      expect(own.window.reference).toMatchObject({ cases: 30, source: 'baseline', compared_with: 'same_model_version', model_version: 'm2', note: null });
      expect(own.drifted).toBe(false);
    });
  }),
);

// The demo's feed (src/cli/demo.ts): a week of simulated history, drift and the model upgrade two
// days before now. Its drift must show in the default view, as the demo announces it.
forEachStore((kind) => describe('the demo drift in the default view', () => {
  let fx: MetricsFixture;
  const now = new Date(Date.UTC(2026, 10, 24, 12, 30));
  beforeAll(async () => {
    // the demo's default --demo-cases: with far fewer, the small windows' noise crosses thresholds
    const cases = 20_000;
    const driftAt = new Date(now.getTime() - 2 * 24 * HOUR);
    const simulated = [...simulate({ seed: 42, cases, start: defaultStart(now), casesPerHour: Math.max(1, Math.round(cases / (7 * 24))), driftAt }, 5000)].flat();
    fx = await metricsFixture(simulated.filter((e) => Date.parse(e.ts as string) < now.getTime()), kind);
  }, 300_000);
  afterAll(() => fx?.close());

  it('flags the upgraded model version of every workflow against its predecessor', async () => {
    const { groups } = await fx.compute(driftFamily, { group_by: 'workflow' }, { now });
    const upgraded = groups.filter((g) => g.key.model_version === DRIFT_MODEL_VERSION);
    expect(upgraded.length).toBeGreaterThan(0);
    for (const g of upgraded) {
      const m = g.metrics as DriftMetrics;
      expect([g.key.workflow, m.drifted]).toEqual([g.key.workflow, true]);
      expect(m.window.reference).toMatchObject({ compared_with: 'predecessor_model_version', model_version: MODEL_VERSION });
    }
  });
}));
