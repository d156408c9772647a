import { cutParams } from '../cuts.js';
import type { MetricFamily } from '../family.js';
import { buildGroups, num } from '../group-rows.js';
import { rate } from '../rate.js';

/** Override, rework and false-accept rates, escalations, stop-the-line and incidents (docs/metrics.md#quality). */
export const qualityFamily: MetricFamily = {
  name: 'quality',
  description: 'How often humans correct the model, rework, false accepts, escalations, stop-the-line, incidents',
  async compute({ store, cuts }) {
    const params = cutParams(cuts);
    const caseRates = await store.runQuery('quality_case_rates', params);
    const groups = buildGroups(cuts, { caseRates }, ({ caseRates: r }) => ({
      cases: num(r, 'cases'),
      override_rate: rate(num(r, 'overridden'), num(r, 'human_decided')),
      rework_rate: rate(num(r, 'reworked'), num(r, 'closed')),
    }));
    return { family: 'quality', groups };
  },
};
