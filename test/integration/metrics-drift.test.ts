import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoricalChecks, NumericChecks } from '../../src/metrics/families/drift-checks.js';
import { driftConfigSchema, driftFamily, type DriftMetrics } from '../../src/metrics/families/drift.js';
import { defaultMetricsConfig, type MetricsConfig } from '../../src/config/metrics.js';
import { metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { requirePython, runPythonJson } from '../helpers/python.js';
import { forEachStore } from '../helpers/stores.js';

// Drift over real DuckDB and ClickHouse. Windows with the fixture's default now (2026-11-24T12:00Z): current
// [11-23T12:00, 11-24T12:00), reference the 7 days before. Every expected statistic comes from
// scipy on the arrays the cases were built from, or from a hand loop over the scenario.
const NOW = Date.UTC(2026, 10, 24, 12);
const HOUR = 3_600_000;
const CUR_FROM = NOW - 24 * HOUR;
const REF_FROM = CUR_FROM - 7 * 24 * HOUR;

interface Spec {
  at: number; workflow: string; model?: string; confidence: number; label: string; lane: string;
  decision?: 'approve' | 'override'; escalated?: boolean; features?: Record<string, number | string>;
}
const events: Record<string, unknown>[] = [];
let seq = 0;
function addCase(s: Spec): void {
  const id = `c${++seq}`;
  const ts = (min: number) => new Date(s.at + min * 60_000).toISOString();
  events.push({ event_id: `${id}-1`, type: 'case.created', ts: ts(0), case_id: id, workflow: s.workflow, tier: 2, model_version: s.model ?? 'm1',
    confidence: s.confidence, model_label: s.label, ...(s.features ? { features: s.features } : {}) });
  events.push({ event_id: `${id}-2`, type: 'case.triaged', ts: ts(1), case_id: id, lane: s.lane });
  if (s.escalated) events.push({ event_id: `${id}-3`, type: 'case.escalated', ts: ts(3), case_id: id, from_level: 1, to_level: 2, trigger: 'policy' });
  if (s.decision === 'override') events.push({ event_id: `${id}-4`, type: 'review.decided', ts: ts(5), case_id: id, actor_id: 'r1', decision: 'override', final_label: `not_${s.label}`, reason_code: 'wrong_category' });
  if (s.decision === 'approve') events.push({ event_id: `${id}-4`, type: 'review.decided', ts: ts(5), case_id: id, actor_id: 'r1', decision: 'approve', final_label: s.label });
}

/** mulberry32: reproducible "random" data without a dependency. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(u: number, xs: readonly T[]) => xs[Math.floor(u * xs.length)];
const spread = (from: number, span: number, n: number) => Array.from({ length: n }, (_, i) => from + Math.floor((i * span) / n));

// 'oracle': random data with ties, compared with scipy. Window edges: a case at REF_FROM and at
// CUR_FROM is in; one a millisecond before REF_FROM and one at now are out (and would show).
const u = rng(7);
type Obs = { at: number; confidence: number; label: string; lane: string; tokens: number; language: string; segment: number | string };
const draw = (at: number, shift: number): Obs => ({
  at, confidence: Math.round((0.5 + 0.5 * u() - shift) * 100) / 100, label: pick(u() + shift > 1 ? 0.99 : u(), ['billing', 'other', 'refund']),
  lane: pick(u(), ['auto_approve', 'human_review', 'human_review', 'specialist_review']), tokens: 100 + Math.floor(u() * 40) * 5 + (shift ? 30 : 0),
  language: pick(Math.min(0.99, u() + shift), ['de', 'en', 'en', 'fr']), segment: pick(u(), [1, 2, 'smb', 'enterprise']),
});
const oracleRef = spread(REF_FROM, 7 * 24 * HOUR, 60).map((at) => draw(at, 0));
const oracleCur = spread(CUR_FROM, 24 * HOUR, 45).map((at) => draw(at, 0.15));
for (const [i, o] of [...oracleRef, ...oracleCur].entries()) {
  const features: Record<string, number | string> = { input_tokens: o.tokens, language: o.language, segment: o.segment };
  if (o.at >= CUR_FROM && i % 2 === 0) features.new_flag = 'y';
  addCase({ ...o, workflow: 'oracle', features });
}
for (const at of [REF_FROM - 1, NOW]) addCase({ at, workflow: 'oracle', confidence: 0.01, label: 'outsider', lane: 'reject', features: { language: 'xx' } });

// 'drifting': confidence down, refund up, and the override rate from 10% to 60% for the last 6 h
for (const [i, at] of spread(REF_FROM, 7 * 24 * HOUR, 210).entries()) {
  addCase({ at, workflow: 'drifting', confidence: 0.6 + (i % 35) / 100, label: ['billing', 'billing', 'refund', 'other', 'billing', 'refund', 'other', 'billing', 'refund', 'billing'][i % 10],
    lane: i % 4 === 0 ? 'specialist_review' : 'human_review', decision: i % 10 === 0 ? 'override' : 'approve', escalated: i % 10 === 5 });
}
const driftingOverrides = Array.from({ length: 120 }, (_, i) => (i < 90 ? i % 10 === 0 : i % 5 < 3));
for (const [i, at] of spread(CUR_FROM, 24 * HOUR, 120).entries()) {
  addCase({ at, workflow: 'drifting', confidence: 0.35 + (i % 35) / 100, label: ['refund', 'refund', 'billing', 'other', 'refund', 'refund', 'other', 'billing', 'refund', 'refund'][i % 10],
    lane: i % 4 === 0 ? 'specialist_review' : 'human_review', decision: driftingOverrides[i] ? 'override' : 'approve', escalated: i % 10 === 5 });
}

// 'steady': the reference is the current window's 30 cases repeated daily, so every mix is the
// same; m2 appears only in the current window (a model upgrade)
const steady = (i: number) => ({ workflow: 'steady', confidence: 0.5 + (i % 15) / 30, label: ['a', 'b', 'b', 'c', 'c'][i % 5], lane: i % 3 ? 'human_review' : 'auto_approve',
  decision: (i % 10 === 4 ? 'override' : 'approve') as Spec['decision'], escalated: i % 10 === 7 });
for (let day = 0; day < 7; day++) for (const [i, at] of spread(REF_FROM + day * 24 * HOUR, 24 * HOUR, 30).entries()) addCase({ ...steady(i), at });
for (const [i, at] of spread(CUR_FROM, 24 * HOUR, 30).entries()) addCase({ ...steady(i), at });
for (const [i, at] of spread(CUR_FROM + 60_000, 24 * HOUR, 30).entries()) addCase({ ...steady(i), at, model: 'm2' });

// 'fresh': only current cases; 'tiny': 5 against 5, as different as can be
for (const at of spread(CUR_FROM, 24 * HOUR, 10)) addCase({ at, workflow: 'fresh', confidence: 0.7, label: 'x', lane: 'human_review' });
for (const at of spread(REF_FROM, 24 * HOUR, 5)) addCase({ at, workflow: 'tiny', confidence: 0.9, label: 'x', lane: 'human_review' });
for (const at of spread(CUR_FROM, 24 * HOUR, 5)) addCase({ at, workflow: 'tiny', confidence: 0.1, label: 'y', lane: 'human_review' });

const SCIPY = `
import json, sys
from scipy import stats
from scipy.spatial.distance import jensenshannon
d = json.load(sys.stdin)
out = {}
for name, (a, b) in d["numeric"].items():
    r = stats.ks_2samp(a, b)
    out[name] = {"ks": [float(r.statistic), float(r.pvalue)], "wasserstein": float(stats.wasserstein_distance(a, b))}
for name, (a, b) in d["categorical"].items():
    cats = sorted(set(map(str, a)) | set(map(str, b)))
    table = [[list(map(str, x)).count(c) for c in cats] for x in (a, b)]
    chi2, p, dof, _ = stats.chi2_contingency(table)
    out[name] = {"chi2": [float(chi2), float(p), int(dof)], "js": float(jensenshannon(table[0], table[1], base=2))}
print(json.dumps(out))`;

const close = (actual: number | null, expected: number) => expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
const config = (drift: Record<string, unknown>) => ({ ...defaultMetricsConfig(), drift: driftConfigSchema.parse(drift) }) as MetricsConfig;

forEachStore((kind) => describe('drift', () => {
  let fx: MetricsFixture;
  const groups = new Map<string, DriftMetrics>();
  beforeAll(async () => {
    fx = await metricsFixture(events, kind);
    const r = await fx.compute(driftFamily);
    for (const g of r.groups) groups.set(`${g.key.workflow}/${g.key.model_version}`, g.metrics as DriftMetrics);
  });
  afterAll(() => fx?.close());

  it('groups by workflow and model version, and a reference-only version still shows', () => {
    expect([...groups.keys()]).toEqual(['drifting/m1', 'fresh/m1', 'oracle/m1', 'steady/m1', 'steady/m2', 'tiny/m1']);
  });

  it('matches scipy ks_2samp, wasserstein_distance, chi2_contingency and jensenshannon', () => {
    requirePython(['scipy']);
    const both = <T>(f: (o: Obs) => T) => [oracleRef.map(f), oracleCur.map(f)];
    const want = runPythonJson<Record<string, { ks: [number, number]; wasserstein: number; chi2: [number, number, number]; js: number }>>(['-c', SCIPY], {
      numeric: { confidence: both((o) => o.confidence), input_tokens: both((o) => o.tokens) },
      categorical: { labels: both((o) => o.label), lanes: both((o) => o.lane), language: both((o) => o.language), segment: both((o) => o.segment) },
    });
    const m = groups.get('oracle/m1')!;
    expect(m.window).toMatchObject({ reference: { cases: 60, from: new Date(REF_FROM).toISOString(), source: 'trailing' }, current: { cases: 45, to: new Date(NOW).toISOString() } });
    const numeric: [NumericChecks, string][] = [[m.confidence, 'confidence'], [m.features.input_tokens as NumericChecks, 'input_tokens']];
    for (const [c, name] of numeric) {
      close(c.ks.statistic, want[name].ks[0]);
      close(c.ks.pvalue, want[name].ks[1]);
      close(c.wasserstein.statistic, want[name].wasserstein);
      expect([c.ks.n_ref, c.ks.n_cur, c.ks.method]).toEqual([60, 45, 'exact']);
    }
    const categorical: [CategoricalChecks, string][] = [[m.labels, 'labels'], [m.lanes, 'lanes'], [m.features.language as CategoricalChecks, 'language'], [m.features.segment as CategoricalChecks, 'segment']];
    for (const [c, name] of categorical) {
      close(c.chi_square.statistic, want[name].chi2[0]);
      close(c.chi_square.pvalue, want[name].chi2[1]);
      expect(c.chi_square.dof).toBe(want[name].chi2[2]);
      close(c.jensen_shannon.statistic, want[name].js);
    }
    expect([m.features.input_tokens.kind, m.features.language.kind, m.features.segment.kind]).toEqual(['numeric', 'categorical', 'categorical']);
    // a feature the reference never had cannot be compared
    expect((m.features.new_flag as CategoricalChecks).chi_square).toMatchObject({ statistic: null, n_ref: 0, n_cur: 23, drifted: false, reason: 'insufficient data' });
  });

  it('flags the drifting workflow on the checks that moved, and catches the override rise hour by hour', () => {
    const m = groups.get('drifting/m1')!;
    expect(m.drifted).toBe(true);
    expect(m.drifted_checks).toEqual([
      'confidence.ks', 'confidence.psi', 'confidence.wasserstein', 'labels.chi_square', 'labels.psi', 'labels.jensen_shannon',
      'rates.override.two_proportion', 'rates.override.cusum',
    ]);
    expect(m.rates.override.two_proportion).toMatchObject({ n_ref: 210, n_cur: 120, rate_ref: 0.1, rate_cur: 27 / 120 });
    // the CUSUM by hand: p0 = 21/210, five cases an hour, C = max(0, C + z - 0.5), signal above 5
    let c = 0;
    let signal = -1;
    let onset = -1;
    for (let h = 0; h < 24 && signal < 0; h++) {
      const x = driftingOverrides.slice(h * 5, h * 5 + 5).filter(Boolean).length;
      const next = Math.max(0, c + (x - 0.5) / Math.sqrt(5 * 0.1 * 0.9) - 0.5);
      if (c === 0 && next > 0) onset = h;
      c = next;
      if (c > 5) signal = h;
    }
    expect(m.rates.override.cusum).toMatchObject({ p0: 0.1, buckets: 24, signal_at: new Date(CUR_FROM + signal * HOUR).toISOString(), onset_at: new Date(CUR_FROM + onset * HOUR).toISOString() });
    expect(m.rates.escalation.two_proportion.drifted || m.rates.escalation.cusum.drifted || m.lanes.chi_square.drifted).toBe(false);
  });

  it('does not flag a workflow whose mixes did not move, and compares an upgraded model with its predecessor', () => {
    const m1 = groups.get('steady/m1')!;
    expect([m1.drifted, m1.drifted_checks, m1.confidence.ks.statistic, m1.labels.chi_square.pvalue]).toEqual([false, [], 0, 1]);
    expect(m1.window.reference).toMatchObject({ cases: 210, compared_with: 'same_model_version', model_version: 'm1', model_version_since: new Date(REF_FROM).toISOString(), note: null });
    const m2 = groups.get('steady/m2')!;
    expect(m2.window.reference).toMatchObject({ cases: 210, compared_with: 'predecessor_model_version', model_version: 'm1', model_version_since: new Date(CUR_FROM + 60_000).toISOString() });
    expect(m2.window.reference.note).toContain('"m2"');
    expect([m2.window.current.cases, m2.drifted, m2.confidence.psi.statistic]).toEqual([30, false, 0]);
  });

  it('keeps the fallback when the cut filters the new model version, and adds the cut group_by', async () => {
    const r = await fx.compute(driftFamily, { workflow: 'steady', model_version: 'm2', group_by: 'lane' });
    expect(r.groups.map((g) => g.key)).toEqual([
      { workflow: 'steady', model_version: 'm2', lane: 'auto_approve' },
      { workflow: 'steady', model_version: 'm2', lane: 'human_review' },
    ]);
    expect(r.groups.map((g) => (g.metrics as DriftMetrics).window.reference.cases)).toEqual([70, 140]);
  });

  it('says insufficient data for an empty reference window instead of failing', () => {
    const m = groups.get('fresh/m1')!;
    expect([m.status, m.drifted, m.window.reference.cases, m.window.current.cases]).toEqual(['insufficient data', false, 0, 10]);
    for (const c of [m.confidence.ks, m.confidence.psi, m.labels.chi_square, m.rates.override.cusum]) expect(c).toMatchObject({ statistic: null, drifted: false, reason: 'insufficient data' });
  });

  it('shows but does not judge windows smaller than minSamples', async () => {
    const m = groups.get('tiny/m1')!;
    expect([m.confidence.ks.statistic, m.confidence.ks.drifted, m.drifted]).toEqual([1, false, false]);
    expect(m.confidence.ks.reason).toContain('minSamples');
    const r = await fx.compute(driftFamily, { workflow: 'tiny' }, { config: config({ minSamples: 5 }) });
    const loose = r.groups[0].metrics as DriftMetrics;
    // exact two-sided KS for 5 vs 5 at D = 1: 2 / C(10, 5)
    close(loose.confidence.ks.pvalue, 2 / 252);
    expect(loose.drifted_checks).toContain('confidence.ks');
  });

  it('uses a pinned baseline and the cut window when given', async () => {
    const baseline = { from: new Date(REF_FROM + 2 * 24 * HOUR).toISOString(), to: new Date(REF_FROM + 3 * 24 * HOUR).toISOString() };
    const from = new Date(CUR_FROM + 12 * HOUR).toISOString();
    const r = await fx.compute(driftFamily, { workflow: 'drifting', from }, { config: config({ baseline }) });
    const m = r.groups[0].metrics as DriftMetrics;
    // 210 cases 48 min apart: day 2 holds i = 60..89; the cut's last 12 hours hold cases 60..119,
    // overridden: 60, 70, 80, then 18 of the last 30
    expect(m.window).toMatchObject({ reference: { ...baseline, source: 'baseline', cases: 30 }, current: { from, to: new Date(NOW).toISOString(), cases: 60 } });
    expect([m.confidence.ks.n_ref, m.confidence.ks.n_cur, m.rates.override.two_proportion.rate_cur]).toEqual([30, 60, 21 / 60]);
  });
}));
