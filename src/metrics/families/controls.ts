import { cutParams, groupKey, type Cuts } from '../cuts.js';
import type { FamilyResult, MetricFamily } from '../family.js';
import { Q } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { cachedResult } from '../result-cache.js';

/** The control checks over the audit trail, in the order docs/metrics.md lists them. */
export const CONTROLS = [
  'high_risk_auto_approved',
  'executed_without_approver',
  'dual_review_single_reviewer',
  'approved_by_creator',
  'override_without_reason',
  'gate_passed_with_failing_check',
  'decided_while_line_stopped',
] as const;
export type Control = (typeof CONTROLS)[number];

/** Case ids listed per control; the counts stay exact beyond it. */
const MAX_IDS_PER_CONTROL = 1000;


/**
 * Silent exceptions: cases that broke a control without anybody raising it. Per group the
 * count per control; in `details` the offending case ids per control. The checks read no clock:
 * the result is a function of the derived tables and the cut, kept in the database
 * (result-cache.ts) and read back while no refresh changed the tables.
 */
export const controlsFamily: MetricFamily = {
  name: 'controls',
  description: 'Control violations (silent exceptions) with the offending case ids',
  compute({ store, cuts }) {
    return cachedResult(store, 'controls', { cuts }, () => computeControls(store, cuts));
  },
};

async function computeControls(store: Store, cuts: Cuts): Promise<FamilyResult> {
  const rows = await store.query(Q.controlViolations, cutParams(cuts));
  const groups = new Map<string, { key: Record<string, unknown>; counts: Record<Control, number> }>();
  const ids = Object.fromEntries(CONTROLS.map((c) => [c, [] as string[]])) as Record<Control, string[]>;
  const totals = Object.fromEntries(CONTROLS.map((c) => [c, 0])) as Record<Control, number>;
  for (const row of rows) {
    const control = row.control as Control;
    const key = groupKey(row, cuts);
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, counts: Object.fromEntries(CONTROLS.map((c) => [c, 0])) as Record<Control, number> }));
    g.counts[control]++;
    totals[control]++;
    if (ids[control].length < MAX_IDS_PER_CONTROL) ids[control].push(row.case_id as string);
  }
  return {
    family: 'controls',
    groups: [...groups.values()].map((g) => ({
      key: g.key,
      metrics: { violations: Object.values(g.counts).reduce((a, b) => a + b, 0), by_control: g.counts },
    })),
    details: {
      total: rows.length,
      by_control: Object.fromEntries(
        CONTROLS.map((c) => [c, { count: totals[c], case_ids: ids[c], truncated: totals[c] > ids[c].length }]),
      ),
    },
  };
}
