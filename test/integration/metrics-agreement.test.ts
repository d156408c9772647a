import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementConfigSchema, agreementFamily, type AgreementMetrics } from '../../src/metrics/families/agreement.js';
import { defaultMetricsConfig, type MetricsConfig } from '../../src/config/metrics.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// Published worked examples (kept beside the project), rebuilt below as review and audit events.
const root = fileURLToPath(new URL('../..', import.meta.url));
const ref = JSON.parse(readFileSync(path.resolve(root, 'test/fixtures/reference/agreement.json'), 'utf8'));
const FLEISS: number[][] = ref.fleiss_1971_diagnoses.ratings_by_subject;
const CODERS = ['A', 'B', 'C', 'D'] as const;
const KRIPP: (number | null)[][] = Array.from({ length: 12 }, (_, u) => CODERS.map((c) => ref.krippendorff_2011.coders[c][u]));
const DAY2 = Date.UTC(2026, 10, 24, 9);

/** A rating as a decision: the model's label approved as is, else an override (or a reject) naming the label. */
function decide(label: string, modelLabel: string, reject = false) {
  if (label === modelLabel) return { decision: 'approve' };
  return reject ? { decision: 'reject', final_label: label } : { decision: 'override', final_label: label, reason_code: 'wrong_category' };
}

/** Fleiss (1971): each patient a case, each of the six ratings a different psychiatrist's decision. */
function fleissCases(workflow: string, rows: number[][]) {
  return rows.flatMap((row, i) => {
    const s = caseScript(`${workflow}-${i}`).add(0, 'case.created', { workflow, tier: 2, model_label: 'dx-4' });
    row.forEach((r, j) => s.add(j + 1, 'review.decided', { actor_id: `psy-${j + 1}`, ...decide(`dx-${r}`, 'dx-4') }));
    return s.events;
  });
}

/**
 * Krippendorff (2011) p. 8: coders A, B, C review, D audits. A first labels every case 5 and
 * corrects it later (only the latest counts); an escalation is no rating; D's audit is 'correct'
 * when it matches the label the case closed with, else 'incorrect' with the correct label.
 */
function krippCases() {
  return KRIPP.flatMap((row, u) => {
    const s = caseScript(`kripp-${u}`).add(0, 'case.created', { workflow: 'kripp', tier: 3, model_label: '2' });
    s.add(1, 'review.decided', { actor_id: 'esc-1', decision: 'escalate' });
    if (row[0] !== null) s.add(2, 'review.decided', { actor_id: 'coder-A', decision: 'override', final_label: '5', reason_code: 'tone' });
    row.slice(0, 3).forEach((v, j) => v !== null && s.add(5 + j, 'review.decided', { actor_id: `coder-${CODERS[j]}`, ...decide(String(v), '2', j === 1) }));
    const closed = [row[1], row[2], row[0]].find((v) => v !== null);
    if (closed !== undefined && u % 2 === 1) s.add(10, 'case.closed', { outcome: 'approved', final_label: String(closed) });
    const ended = u % 2 === 1 ? closed : [row[2], row[1], row[0]].find((v) => v !== null); // else the latest decision's
    if (row[3] !== null) {
      s.add(20, 'audit.completed', ended === row[3] ? { actor_id: 'coder-D', verdict: 'correct' } : { actor_id: 'coder-D', verdict: 'incorrect', correct_label: String(row[3]) });
    }
    return s.events;
  });
}

// Worked by hand: ann and bob on 10 cases, (yes, yes) ×4, (no, no) ×3, (yes, no) ×2, (no, yes) ×1;
// the first five cases on day 1, the rest on day 2.
const YES_NO: [string, string][] = [...Array(4).fill(['yes', 'yes']), ...Array(3).fill(['no', 'no']), ['yes', 'no'], ['yes', 'no'], ['no', 'yes']];
function yesNoCases() {
  return YES_NO.flatMap(([a, b], i) =>
    caseScript(`yn-${i}`, i < 5 ? undefined : DAY2)
      .add(0, 'case.created', { workflow: 'yes_no', tier: 1, model_label: 'yes' })
      .add(1, 'review.decided', { actor_id: 'ann', ...decide(a, 'yes') })
      .add(2, 'review.decided', { actor_id: 'bob', ...decide(b, 'yes', true) }).events,
  );
}

/** Cohen's first reference table, rater A in rows: 100 cases. */
function cohenCases() {
  const [[yy, yn], [ny, nn]] = ref.cohen[0].table as number[][];
  const cells: [string, string, number][] = [['y', 'y', yy], ['y', 'n', yn], ['n', 'y', ny], ['n', 'n', nn]];
  let i = 0;
  return cells.flatMap(([a, b, count]) =>
    Array.from({ length: count }, () =>
      caseScript(`cohen-${i++}`).add(0, 'case.created', { workflow: 'cohen', tier: 1 })
        .add(1, 'review.decided', { actor_id: 'cara', decision: 'override', final_label: a })
        .add(2, 'review.decided', { actor_id: 'dan', decision: 'override', final_label: b }).events,
    ).flat(),
  );
}

/** No case with two ratings: single reviews, a reject without label, an escalation. Then one label only. */
function edgeCases() {
  const single = [0, 1, 2].flatMap((i) =>
    caseScript(`single-${i}`).add(0, 'case.created', { workflow: 'single', tier: 1, model_label: 'ok' }).add(1, 'review.decided', { actor_id: 'eve', decision: 'approve' }).events,
  );
  const unlabelled = caseScript('single-3').add(0, 'case.created', { workflow: 'single', tier: 1, model_label: 'ok' })
    .add(1, 'review.decided', { actor_id: 'eve', decision: 'approve' })
    .add(2, 'review.decided', { actor_id: 'fay', decision: 'reject', reason_code: 'policy_violation' })
    .add(3, 'review.decided', { actor_id: 'gus', decision: 'escalate', final_label: 'bad' }).events;
  const oneLabel = [0, 1, 2, 3].flatMap((i) =>
    caseScript(`one-${i}`).add(0, 'case.created', { workflow: 'one_label', tier: 1, model_label: 'ok' })
      .add(1, 'review.decided', { actor_id: 'hal', decision: 'approve' })
      .add(2, 'review.decided', { actor_id: 'ivy', decision: 'override', final_label: 'ok' }).events,
  );
  return [...single, ...unlabelled, ...oneLabel];
}

/** Independent of src/metrics/stats: Cohen's kappa of two label lists, and AC1 / pair agreement of rating rows. */
function kappa(a: string[], b: string[]): number {
  const labels = [...new Set([...a, ...b])];
  const po = a.filter((x, i) => x === b[i]).length / a.length;
  const pe = labels.reduce((s, l) => s + (a.filter((x) => x === l).length / a.length) * (b.filter((x) => x === l).length / b.length), 0);
  return (po - pe) / (1 - pe);
}
function ac1(rows: string[][]): { pa: number; ac1: number } {
  const q = [...new Set(rows.flat())];
  const pa = rows.reduce((s, r) => s + q.reduce((t, l) => t + r.filter((x) => x === l).length * (r.filter((x) => x === l).length - 1), 0) / (r.length * (r.length - 1)), 0) / rows.length;
  const pi = q.map((l) => rows.reduce((s, r) => s + r.filter((x) => x === l).length / r.length, 0) / rows.length);
  const pe = pi.reduce((s, p) => s + p * (1 - p), 0) / (q.length - 1);
  return { pa, ac1: (pa - pe) / (1 - pe) };
}
/** Agrees with a published value to 6 significant digits (half a unit of the 6th). */
function expect6(x: number | null, published: number) {
  expect(x).not.toBeNull();
  expect(Math.abs(x! - published)).toBeLessThanOrEqual(0.5 * 10 ** (Math.floor(Math.log10(Math.abs(published))) - 5));
}
const kripRows = KRIPP.map((r) => r.filter((v): v is number => v !== null).map(String)).filter((r) => r.length >= 2);
const column = (c: number) => KRIPP.map((r) => r[c]);

// events in, report out, on each engine: the same numbers from DuckDB and ClickHouse
forEachStore((kind) => describe('reviewer agreement', () => {
  let fx: MetricsFixture;
  const config = (agreement: unknown): MetricsConfig => ({ ...defaultMetricsConfig(), agreement: agreementConfigSchema.parse(agreement) }) as MetricsConfig;
  const byWorkflow = async (cuts: Record<string, unknown> = {}, agreement: unknown = {}) => {
    const { groups } = await fx.compute(agreementFamily, { group_by: 'workflow', ...cuts }, { config: config(agreement) });
    return Object.fromEntries(groups.map((g) => [g.key.workflow as string, g.metrics as AgreementMetrics]));
  };
  beforeAll(async () => {
    fx = await metricsFixture([...fleissCases('fleiss_30', FLEISS), ...fleissCases('fleiss_15', FLEISS.slice(0, 15)), ...krippCases(), ...yesNoCases(), ...cohenCases(), ...edgeCases()], kind);
  });
  afterAll(() => fx?.close());

  it("reproduces Fleiss (1971): κ = 0.4302445 over 30 cases, and irrCAC's first 15 patients", async () => {
    const m = await byWorkflow();
    expect(m.fleiss_30).toMatchObject({ items: 30, raters: 6, ratings: 180, rated_cases: 30 });
    expect6(m.fleiss_30.fleiss_kappa.value, ref.fleiss_1971_diagnoses.expected.fleiss_kappa);
    expect(m.fleiss_30.fleiss_kappa.n).toBe(30);
    expect6(m.fleiss_15.fleiss_kappa.value, 0.4139265); // irrCAC distrib.6raters (docs/stats-agreement.md)
    expect6(m.fleiss_15.gwet_ac1.value, 0.4448007);
    expect6(m.fleiss_15.krippendorff_alpha_nominal.value, 0.4204384);
    expect6(m.fleiss_15.percent_agreement.value, 0.5511111); // irrCAC's p_a
    expect(m.fleiss_30.pairwise_cohen).toHaveLength(15);
  });

  it('reproduces Krippendorff (2011) with missing ratings, an auditor and superseded decisions', async () => {
    const m = (await byWorkflow({}, { ordinalLabels: { kripp: ['1', '2', '3', '4', '5'] } })).kripp;
    // unit 12 has one rating: not an item
    expect(m).toMatchObject({ rated_cases: 12, items: 11, ratings: kripRows.flat().length, raters: 4 });
    expect6(m.krippendorff_alpha_nominal.value, ref.krippendorff_2011.expected.alpha_nominal);
    expect6(m.krippendorff_alpha_ordinal.value, ref.krippendorff_2011.expected.alpha_ordinal);
    // Gwet's chance agreement counts unit 12 (rated once) in the category shares, as irrCAC's
    // published 0.7754441 does; p_a and alpha only use the 11 units with two ratings or more
    expect6(m.gwet_ac1.value, ref.krippendorff_2011.expected.gwet_ac1);
    expect(m.gwet_ac1.n).toBe(12);
    expect(m.krippendorff_alpha_nominal.n).toBe(11);
    expect(m.percent_agreement).toMatchObject({ n: 11, value: expect.closeTo(ac1(kripRows).pa, 12) });
    expect(m.fleiss_kappa).toMatchObject({ value: null, n: 0, note: expect.stringContaining('ratings per item vary (2, 3, 4)') });
    const ab = m.pairwise_cohen.find((p) => p.reviewer_a === 'coder-A' && p.reviewer_b === 'coder-B')!;
    expect(ab.n).toBe(9);
    expect(ab.kappa).toBeCloseTo(49 / 58, 12); // p_o = 8/9, p_e = 23/81, worked by hand
    for (const p of m.pairwise_cohen) {
      const [x, y] = [CODERS.indexOf(p.reviewer_a.slice(-1) as 'A'), CODERS.indexOf(p.reviewer_b.slice(-1) as 'A')];
      const both = KRIPP.filter((r) => r[x] !== null && r[y] !== null);
      expect(p.n).toBe(both.length);
      expect(p.kappa).toBeCloseTo(kappa(both.map((r) => String(r[x])), both.map((r) => String(r[y]))), 12);
    }
    // each reviewer against the auditor's label (D audits every item); D is no reviewer of itself
    expect(m.reviewers.map((r) => r.reviewer)).toEqual(['coder-A', 'coder-B', 'coder-C']);
    m.reviewers.forEach((r, j) => {
      const both = KRIPP.filter((row) => row[j] !== null && row[3] !== null);
      expect(r).toMatchObject({ n: both.length, adjudicated: both.length, agreed: both.filter((row) => row[j] === row[3]).length });
    });
    expect(m.reviewers.map((r) => r.agreement)).toEqual([8 / 9, 9 / 10, 7 / 10]);
  });

  it('matches a two-reviewer example worked by hand, and the published Cohen table', async () => {
    const m = await byWorkflow();
    const yn = m.yes_no;
    expect(yn).toMatchObject({ items: 10, raters: 2, ratings: 20 });
    // p_o = 0.7; p_e = 0.6·0.5 + 0.4·0.5 = 0.5 → κ = 0.4
    // 10 shared items is below the default 30 from which a pair pays for a bootstrap interval
    expect(yn.pairwise_cohen).toEqual([{ reviewer_a: 'ann', reviewer_b: 'bob', kappa: expect.closeTo(0.4, 12), percent_agreement: expect.closeTo(0.7, 12), n: 10, ci95: null }]);
    expect(yn.percent_agreement.value).toBeCloseTo(0.7, 12);
    expect(yn.fleiss_kappa.value).toBeCloseTo(13 / 33, 12); // pooled yes 0.55: P̄_e = 0.505
    expect(yn.krippendorff_alpha_nominal.value).toBeCloseTo(14 / 33, 12); // 1 − 0.3 / (198/380)
    expect(yn.gwet_ac1.value).toBeCloseTo(41 / 101, 12); // p_e = 2·0.55·0.45 = 0.495
    // two reviewers: the other's label is the majority; nothing adjudicated
    expect(yn.reviewers).toEqual(['ann', 'bob'].map((reviewer) => ({ reviewer, agreement: 0.7, agreed: 7, n: 10, adjudicated: 0, ci95: expect.any(Array) })));
    expect6(m.cohen.pairwise_cohen[0].kappa, ref.cohen[0].expected.kappa);
    expect(m.cohen.pairwise_cohen[0].n).toBe(100);
  });

  it('gives nulls with a reason when no case has two ratings, or one label only', async () => {
    const m = await byWorkflow();
    expect(m.single).toMatchObject({ rated_cases: 4, items: 0, raters: 0, pairwise_cohen: [], reviewers: [] });
    for (const c of ['percent_agreement', 'fleiss_kappa', 'krippendorff_alpha_nominal', 'krippendorff_alpha_ordinal', 'gwet_ac1'] as const) {
      expect(m.single[c]).toEqual({ value: null, n: 0, ci95: null, note: 'no case in this group has two or more ratings' });
    }
    const one = m.one_label;
    expect(one.percent_agreement).toMatchObject({ value: 1, n: 4 });
    expect(one.fleiss_kappa).toMatchObject({ value: null, n: 4, note: expect.stringContaining('same label') });
    expect(one.krippendorff_alpha_nominal.value).toBeNull();
    expect(one.gwet_ac1).toMatchObject({ value: null, note: expect.stringContaining('one label') });
    expect(one.krippendorff_alpha_ordinal.note).toBe('no label order for workflow "one_label": set metrics.agreement.ordinalLabels');
    expect(one.pairwise_cohen[0]).toMatchObject({ kappa: null, percent_agreement: 1, n: 4 });
    expect(one.reviewers.map((r) => r.agreement)).toEqual([1, 1]);
    // a declared domain of two labels makes AC1 defined, and 1
    const declared = (await byWorkflow({}, { ordinalLabels: { one_label: ['ok', 'bad'] } })).one_label;
    expect(declared.gwet_ac1).toMatchObject({ value: 1, n: 4, note: null });
    expect(declared.krippendorff_alpha_ordinal).toMatchObject({ value: null, note: 'one value among the pairable ratings' });
    const missing = (await byWorkflow({}, { ordinalLabels: { kripp: ['1', '2', '3', '4'] } })).kripp;
    expect(missing.krippendorff_alpha_ordinal).toMatchObject({ value: null, note: 'label "5" is not in metrics.agreement.ordinalLabels.kripp' });
  });

  it('cuts by reviewer (pairs and references involving them), by day and by window', async () => {
    const filtered = await fx.compute(agreementFamily, { workflow: 'kripp', reviewer: 'coder-A' });
    const a = filtered.groups[0].metrics as AgreementMetrics;
    expect(a.items).toBe(column(0).filter((v) => v !== null).length);
    expect(a.pairwise_cohen.map((p) => [p.reviewer_a, p.reviewer_b])).toEqual([['coder-A', 'coder-B'], ['coder-A', 'coder-C'], ['coder-A', 'coder-D']]);
    expect(a.reviewers.map((r) => [r.reviewer, r.agreed, r.n])).toEqual([['coder-A', 8, 9]]);
    const perReviewer = await fx.compute(agreementFamily, { workflow: 'kripp', group_by: 'reviewer' });
    expect(perReviewer.groups.map((g) => g.key.reviewer)).toEqual(['coder-A', 'coder-B', 'coder-C', 'coder-D']);
    expect(perReviewer.groups[0].metrics).toEqual(a);

    const days = await fx.compute(agreementFamily, { workflow: 'yes_no', bucket: 'day' });
    expect(days.groups.map((g) => [g.key.bucket, (g.metrics as AgreementMetrics).items, (g.metrics as AgreementMetrics).percent_agreement.value])).toEqual([
      ['2026-11-23T00:00:00.000Z', 5, 1],
      ['2026-11-24T00:00:00.000Z', 5, 0.4],
    ]);
    const window = await fx.compute(agreementFamily, { workflow: 'yes_no', from: new Date(DAY2 - 3_600_000).toISOString() });
    expect((window.groups[0].metrics as AgreementMetrics).items).toBe(5);
  });

  it('gives seeded bootstrap intervals, configurable and reproducible', async () => {
    const first = (await byWorkflow()).fleiss_30;
    const again = (await byWorkflow()).fleiss_30;
    expect(again.fleiss_kappa.ci95).toEqual(first.fleiss_kappa.ci95);
    for (const c of [first.fleiss_kappa, first.gwet_ac1, first.krippendorff_alpha_nominal, first.percent_agreement]) {
      const [lower, upper] = c.ci95!;
      expect(lower).toBeLessThan(c.value!);
      expect(upper).toBeGreaterThan(c.value!);
    }
    const reseeded = (await byWorkflow({}, { bootstrap: { seed: 7 } })).fleiss_30;
    expect(reseeded.fleiss_kappa.ci95).not.toEqual(first.fleiss_kappa.ci95);
    const off = (await byWorkflow({}, { bootstrap: { replicates: 0 } })).fleiss_30;
    expect([off.fleiss_kappa.ci95, off.percent_agreement.ci95, off.pairwise_cohen[0].ci95]).toEqual([null, null, null]);
    expect(off.fleiss_kappa.value).toBe(first.fleiss_kappa.value);
    expect(() => agreementConfigSchema.parse({ ordinalLabels: { w: ['low', 'low'] } })).toThrow(/twice/);
  });
}));
