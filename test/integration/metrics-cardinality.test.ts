import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { driftFamily } from '../../src/metrics/families/drift.js';
import type { DriftMetrics } from '../../src/metrics/families/drift.js';
import { qualityFamily } from '../../src/metrics/families/quality.js';
import { reviewersFamily } from '../../src/metrics/families/reviewers.js';
import { renderReport } from '../../src/metrics/report.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// Six workflows, wf-i with i + 2 cases (2..7), and seven reviewers deciding them round-robin;
// every third case is overridden. With caps of 3 workflows and 4 reviewers, the rest fall into
// '(other)'. The expectations are counted here from the events, not read from the code.
const WORKFLOWS = 6;
const REVIEWERS = 7;
function scenario() {
  const cases: { workflow: string; reviewer: string; overridden: boolean; features: Record<string, number> }[] = [];
  const events: Record<string, unknown>[] = [];
  let n = 0;
  for (let w = 0; w < WORKFLOWS; w++) {
    for (let i = 0; i < w + 2; i++, n++) {
      // feature keys of different frequencies: f-a on every case, f-b on every 2nd, ...
      const features: Record<string, number> = {};
      for (const [key, every] of [['f-a', 1], ['f-b', 2], ['f-c', 3], ['f-d', 5]] as const) if (n % every === 0) features[key] = n;
      const c = { workflow: `wf-${w}`, reviewer: `rev-${n % REVIEWERS}`, overridden: n % 3 === 0, features };
      cases.push(c);
      const s = caseScript(`c-${n}`, Date.UTC(2026, 10, 23, 9) + n * 60_000);
      s.add(0, 'case.created', { workflow: c.workflow, tier: 1, model_label: 'faq', model_version: 'm1', confidence: 0.9, features })
        .add(0, 'case.triaged', { lane: 'human_review' })
        .add(1, 'review.decided', c.overridden
          ? { actor_id: c.reviewer, decision: 'override', final_label: 'refund', reason_code: 'wrong_category' }
          : { actor_id: c.reviewer, decision: 'approve' });
      events.push(...s.events);
    }
  }
  return { cases, events };
}

/** Top `cap` values by count, ties by value: the documented rule, computed independently. */
function top(values: string[], cap: number): Set<string> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Set(ranked.slice(0, cap).map(([v]) => v));
}

forEachStore((kind) => describe('label cardinality caps', () => {
  const { cases, events } = scenario();
  let fx: MetricsFixture;
  beforeAll(async () => {
    fx = await metricsFixture(events, kind);
  });
  afterAll(() => fx?.close());

  const runner = (caps: { workflows: number; reviewers: number }) => {
    const config = defaultMetricsConfig();
    config.cardinality = { ...config.cardinality, ...caps };
    return new MetricsRunner({ store: fx.store, families: [qualityFamily, reviewersFamily], config, logger: pino({ level: 'silent' }), clock: () => new Date(Date.UTC(2026, 10, 24, 12)) });
  };

  it('folds workflows beyond the cap into (other), with the sum of what it absorbed', async () => {
    const snap = await runner({ workflows: 3, reviewers: 1000 }).compute(cutsSchema.parse({ group_by: 'workflow' }), { refresh: true });
    const quality = snap.families.quality;
    const kept = top(cases.map((c) => c.workflow), 3);
    const expected = new Map<string, { cases: number; overridden: number }>();
    for (const c of cases) {
      const key = kept.has(c.workflow) ? c.workflow : '(other)';
      const e = expected.get(key) ?? { cases: 0, overridden: 0 };
      e.cases++;
      if (c.overridden) e.overridden++;
      expected.set(key, e);
    }
    expect(quality.groups).toHaveLength(4);
    const got = Object.fromEntries(quality.groups.map((g) => [g.key.workflow as string, g.metrics as any]));
    expect(Object.keys(got).sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      expect(got[key].cases, key).toBe(e.cases);
      expect(got[key].override_rate.numerator, key).toBe(e.overridden);
    }
    expect(quality.capped).toEqual({ workflow: { limit: 3, distinct_values: WORKFLOWS, overflow_values: WORKFLOWS - 3, overflow: '(other)' } });
    expect(renderReport(snap, { width: 200 })).toContain('workflows capped: 3 of 6 shown, the other 3 grouped as (other)');
    // the reviewers family is cut by workflow too; its reviewers are below their cap
    expect(snap.families.reviewers.capped).toEqual(quality.capped);
    const reviewers = new Set(snap.families.reviewers.groups.map((g) => g.key.reviewer));
    expect(reviewers.size).toBe(REVIEWERS);
  });

  it('folds reviewers beyond the cap into (other), in the cut and in the reviewers family', async () => {
    const snap = await runner({ workflows: 1000, reviewers: 4 }).compute(cutsSchema.parse({ group_by: 'reviewer' }), { refresh: true });
    const kept = top(cases.map((c) => c.reviewer), 4);
    const decisions = new Map<string, number>();
    for (const c of cases) {
      const key = kept.has(c.reviewer) ? c.reviewer : '(other)';
      decisions.set(key, (decisions.get(key) ?? 0) + 1);
    }
    const note = { reviewer: { limit: 4, distinct_values: REVIEWERS, overflow_values: REVIEWERS - 4, overflow: '(other)' } };
    const reviewers = snap.families.reviewers;
    expect(reviewers.groups).toHaveLength(5);
    const got = Object.fromEntries(reviewers.groups.map((g) => [g.key.reviewer as string, (g.metrics as any).decisions]));
    expect(got).toEqual(Object.fromEntries(decisions));
    expect(reviewers.capped).toEqual(note);
    const quality = snap.families.quality;
    expect(quality.groups).toHaveLength(5);
    const cases_ = Object.fromEntries(quality.groups.map((g) => [g.key.reviewer as string, (g.metrics as any).cases]));
    expect(cases_).toEqual(Object.fromEntries(decisions)); // one decision per case: its final reviewer
    expect(quality.capped).toEqual(note);
  });

  it('gives the drift overflow group the first sighting of its model version among the absorbed workflows', async () => {
    const snap = await runner({ workflows: 3, reviewers: 1000 }).compute(cutsSchema.parse({ group_by: '' }), { refresh: true, families: [driftFamily] });
    const drift = snap.families.drift;
    expect(drift.capped?.workflow?.overflow_values).toBe(WORKFLOWS - 3);
    const kept = top(cases.map((c) => c.workflow), 3);
    const other = drift.groups.find((g) => g.key.workflow === '(other)')!;
    // case n was created at 09:00 + n minutes; the first absorbed case is the lowest such n
    const first = cases.findIndex((c) => !kept.has(c.workflow));
    expect((other.metrics as DriftMetrics).window.reference.model_version_since).toBe(new Date(Date.UTC(2026, 10, 23, 9) + first * 60_000).toISOString());
    expect(drift.groups).toHaveLength(4);
  });

  it('keeps a filtered value under its own name', async () => {
    const snap = await runner({ workflows: 1, reviewers: 1000 }).compute(cutsSchema.parse({ workflow: 'wf-0', group_by: 'workflow' }), { refresh: true });
    expect(snap.families.quality.groups.map((g) => g.key.workflow)).toEqual(['wf-0']);
    expect(snap.families.quality.capped).toBeUndefined();
  });

  it('changes nothing below the caps', async () => {
    const snap = await runner({ workflows: WORKFLOWS, reviewers: REVIEWERS }).compute(cutsSchema.parse({ group_by: 'workflow,reviewer' }), { refresh: true });
    expect(snap.families.quality.capped).toBeUndefined();
    expect(snap.families.reviewers.capped).toBeUndefined();
    const keys = snap.families.quality.groups.map((g) => `${g.key.workflow}/${g.key.reviewer}`);
    expect(keys.some((k) => k.includes('(other)'))).toBe(false);
    expect(new Set(keys)).toEqual(new Set(cases.map((c) => `${c.workflow}/${c.reviewer}`)));
    expect(snap.cuts).toEqual(cutsSchema.parse({ group_by: 'workflow,reviewer' }));
  });

  it('tests only the most frequent feature keys per group and says how many were left out', async () => {
    const config = defaultMetricsConfig();
    config.cardinality = { ...config.cardinality, featureKeys: 2 };
    const r = await fx.compute(driftFamily, {}, { config });
    expect(r.groups).toHaveLength(WORKFLOWS);
    for (const g of r.groups) {
      const keys = cases.filter((c) => c.workflow === g.key.workflow).flatMap((c) => Object.keys(c.features));
      const all = new Set(keys);
      const m = g.metrics as DriftMetrics;
      expect(Object.keys(m.features).sort(), String(g.key.workflow)).toEqual([...top(keys, 2)].sort());
      expect(m.features_capped).toEqual({ limit: 2, keys: all.size, tested: 2, not_tested: all.size - 2 });
    }
    // with the default cap every key is tested and nothing is said
    const plain = await fx.compute(driftFamily, {});
    for (const g of plain.groups) {
      expect(Object.keys((g.metrics as DriftMetrics).features).length).toBeGreaterThan(2);
      expect((g.metrics as DriftMetrics).features_capped).toBeUndefined();
    }
  });
}));
