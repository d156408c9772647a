import { defaultSamplingConfig } from '../../config/sampling.js';
import { changeFromRow, statusOf, type SamplingChange } from '../../feedback/sampling/status.js';
import { Q } from '../../store/queries.js';
import type { MetricFamily } from '../family.js';

/** Most changes listed in `details` (the counts per workflow cover all of them). */
const MAX_LISTED = 100;

/**
 * The sampling controller's state as metrics (docs/sampling.md#metrics): per workflow that has
 * ever changed, the state and rate as of the cut's end (or now), and the changes inside the cut's
 * window. A workflow never changed is at its configured normal rate and is not listed.
 */
export const samplingFamily: MetricFamily = {
  name: 'sampling',
  description: 'QA sampling of auto-approved work per workflow: state, rate in force, override, and the changes in the window (sampling.changed)',
  async compute({ store, cuts, now }) {
    const asOf = cuts.to ?? now;
    const workflow = cuts.workflow ?? null;
    const [latestRows, changeRows] = await Promise.all([
      store.query(Q.samplingLatest, { workflow, to: asOf }),
      store.query(Q.samplingChanges, { workflow, from: cuts.from ?? null, to: asOf }),
    ]);
    const changes = changeRows.map(changeFromRow).filter((c): c is SamplingChange => c !== null);
    // the normal rate is not needed: only workflows with a change are listed, and their rate comes from it
    const config = defaultSamplingConfig();
    const groups = latestRows
      .map(changeFromRow)
      .filter((c): c is SamplingChange => c !== null)
      .map((latest) => {
        const s = statusOf(latest.workflow, latest, config, asOf);
        const mine = changes.filter((c) => c.workflow === latest.workflow);
        return {
          key: { workflow: latest.workflow },
          metrics: {
            state: s.state,
            rate: s.rate,
            state_rate: s.state_rate,
            since: s.since?.toISOString() ?? null,
            override_until: s.override?.until.toISOString() ?? null,
            last_cause: latest.cause,
            changes: mine.length,
            tightenings: mine.filter((c) => c.to_rate > c.from_rate && c.cause !== 'manual_override').length,
          },
        };
      });
    const listed = changes.slice(-MAX_LISTED).map((c) => ({ workflow: c.workflow, ts: c.ts.toISOString(), from_state: c.from_state, to_state: c.to_state, from_rate: c.from_rate, to_rate: c.to_rate, cause: c.cause, detail: c.detail }));
    return { family: 'sampling', groups, details: { changes: listed, changes_total: changes.length } };
  },
};
