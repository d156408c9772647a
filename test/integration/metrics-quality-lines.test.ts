import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityFamily, type QualityMetrics } from '../../src/metrics/families/quality.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// Stop-the-line pairing and time to resume, and incidents per 1,000 cases. The fixture's
// default now is 2026-11-24T12:00Z; durations by hand in the comments.
const metricsOf = (g: { metrics: unknown }) => g.metrics as QualityMetrics;
const at = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh, mm)).toISOString();
let seq = 0;
const ev = (type: string, ts: string, fields: Record<string, unknown> = {}) => ({ event_id: `x-${++seq}`, type, ts, ...fields });

function scenario() {
  const events: Record<string, unknown>[] = [];
  // k1-k4 tier 1, k5-k8 tier 2, all created 2026-11-23 09:00 in wf_a
  for (let i = 1; i <= 8; i++) {
    events.push(...caseScript(`k${i}`).add(0, 'case.created', { workflow: 'wf_a', tier: i <= 4 ? 1 : 2 }).events);
  }
  const stop = (workflow: string, ts: string) => ev('line.stopped', ts, { workflow, trigger: 'policy breach' });
  const resume = (workflow: string, ts: string) => ev('line.resumed', ts, { workflow });
  events.push(
    // wf_a: 09:00→09:30 = 1800 s; 10:00 and 10:10 both resume at 11:00 = 3600 s and 3000 s;
    // stopped on the 24th at 11:15 and still stopped at now (12:00) = 2700 s
    stop('wf_a', at(23, 9)), resume('wf_a', at(23, 9, 30)),
    stop('wf_a', at(23, 10)), stop('wf_a', at(23, 10, 10)), resume('wf_a', at(23, 11)),
    stop('wf_a', at(24, 11, 15)),
    // wf_b: a resume with no stop before it, inside wf_a's first stop (pairs with nothing);
    // 12:00→12:10 = 600 s, its resume arriving first; at 13:00 a resume with the stop's own ts
    // does not end it, the 13:20 one does = 1200 s
    resume('wf_b', at(23, 9, 10)),
    resume('wf_b', at(23, 12, 10)), stop('wf_b', at(23, 12)),
    stop('wf_b', at(23, 13)), resume('wf_b', at(23, 13)), resume('wf_b', at(23, 13, 20)),
    // incidents: i1 sev2 on k5 (tier 2); i2 sev1 on wf_a, no case; i3 sev3 on k1 (tier 1), workflow
    // from the case; i4 sev2 with neither case nor workflow; i5 sev4 on wf_a the next day
    ev('incident.reported', at(23, 10), { case_id: 'k5', workflow: 'wf_a', severity: 'sev2' }),
    ev('incident.reported', at(23, 11), { workflow: 'wf_a', severity: 'sev1' }),
    ev('incident.reported', at(23, 12), { case_id: 'k1', severity: 'sev3' }),
    ev('incident.reported', at(23, 13), { severity: 'sev2' }),
    ev('incident.reported', at(24, 10), { workflow: 'wf_a', severity: 'sev4' }),
  );
  return events;
}

forEachStore((kind) => {
  describe('quality: stop-the-line and incidents', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(scenario(), kind);
    });
    afterAll(() => fx?.close());

    it('pairs each stop with the next resume of its workflow; open stops age to now', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'workflow' });
      const s = Object.fromEntries(r.groups.map((g) => [String(g.key.workflow), metricsOf(g).stop_the_line]));
      // wf_a sorted [1800, 2700, 3000, 3600]: p50 at rank 1.5 = 2700 + .5·300 = 2850,
      // p90 at rank 2.7 = 3000 + .7·600 = 3420
      expect(s.wf_a).toEqual({ stops: 4, resumed: 3, open: 1, time_to_resume_seconds: { p50: 2850, p90: 3420, max: 3600 } });
      // wf_b [600, 1200]: p50 = 900, p90 = 600 + .9·600 = 1140
      expect(s.wf_b).toEqual({ stops: 2, resumed: 2, open: 0, time_to_resume_seconds: { p50: 900, p90: 1140, max: 1200 } });
      // the org-level incident's group (workflow null) has no stops
      expect(s.null).toEqual({ stops: 0, resumed: 0, open: 0, time_to_resume_seconds: { p50: null, p90: null, max: null } });
    });

    it('ages open stops at the run time', async () => {
      const r = await fx.compute(qualityFamily, { workflow: 'wf_a' }, { now: new Date(at(24, 13, 15)) });
      // the open stop is now 2 h old: [1800, 3000, 3600, 7200] → p50 = 3300, p90 = 3600 + .7·3600 = 6120
      expect(metricsOf(r.groups[0]).stop_the_line.time_to_resume_seconds).toEqual({ p50: 3300, p90: 6120, max: 7200 });
    });

    it('windows and buckets stops by their own ts; a resume after the window still ends them', async () => {
      const all = metricsOf((await fx.compute(qualityFamily)).groups[0]).stop_the_line;
      // [600, 1200, 1800, 2700, 3000, 3600]: p50 at 2.5 = 1800 + .5·900 = 2250, p90 at 4.5 = 3000 + .5·600 = 3300
      expect(all).toEqual({ stops: 6, resumed: 5, open: 1, time_to_resume_seconds: { p50: 2250, p90: 3300, max: 3600 } });
      // wf_a's 09:00 and 10:00 stops only; the latter resumed at 11:00, outside the window
      const early = metricsOf((await fx.compute(qualityFamily, { to: at(23, 10, 5) })).groups[0]).stop_the_line;
      expect(early).toEqual({ stops: 2, resumed: 2, open: 0, time_to_resume_seconds: { p50: 2700, p90: 3420, max: 3600 } });
      const byDay = await fx.compute(qualityFamily, { group_by: 'workflow', bucket: 'day', workflow: 'wf_a' });
      expect(byDay.groups.map((g) => [g.key.bucket, metricsOf(g).stop_the_line.stops, metricsOf(g).stop_the_line.open])).toEqual([
        ['2026-11-23T00:00:00.000Z', 3, 0],
        ['2026-11-24T00:00:00.000Z', 1, 1],
      ]);
    });

    it('puts lines under a null tier and matches no tier filter', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'workflow,tier', workflow: 'wf_a' });
      expect(r.groups.map((g) => [g.key.tier, metricsOf(g).stop_the_line.stops])).toEqual([
        [1, 0],
        [2, 0],
        [null, 4],
      ]);
      const t1 = await fx.compute(qualityFamily, { tier: 1 });
      expect(metricsOf(t1.groups[0]).stop_the_line.stops).toBe(0);
    });

    it('counts incidents per severity per 1,000 cases created in the group', async () => {
      const all = metricsOf((await fx.compute(qualityFamily)).groups[0]).incidents;
      // 5 incidents over 8 cases = 625 per 1,000; one severity step = 1000/8 = 125
      expect(all).toEqual({
        total: 5,
        per_1000_cases: 625,
        by_severity: {
          sev1: { count: 1, per_1000_cases: 125 },
          sev2: { count: 2, per_1000_cases: 250 },
          sev3: { count: 1, per_1000_cases: 125 },
          sev4: { count: 1, per_1000_cases: 125 },
        },
      });
      const byWf = await fx.compute(qualityFamily, { group_by: 'workflow' });
      const inc = Object.fromEntries(byWf.groups.map((g) => [String(g.key.workflow), metricsOf(g).incidents]));
      // wf_a: i1 i2 i3 i5 = 4 / 8 cases = 500; the org-level i4 has no cases to be counted against
      expect([inc.wf_a.total, inc.wf_a.per_1000_cases, inc.wf_a.by_severity.sev2.count]).toEqual([4, 500, 1]);
      expect([inc.null.total, inc.null.per_1000_cases]).toEqual([1, null]);
      expect([inc.wf_b.total, inc.wf_b.per_1000_cases]).toEqual([0, null]);
      // tier 2: i1 only, over k5-k8 = 1000/4 = 250
      const t2 = metricsOf((await fx.compute(qualityFamily, { tier: 2 })).groups[0]).incidents;
      expect([t2.total, t2.per_1000_cases]).toEqual([1, 250]);
      // by day: the 23rd has i1-i4 over 8 cases = 500; the 24th has i5 and no new case = null
      const byDay = await fx.compute(qualityFamily, { bucket: 'day' });
      expect(byDay.groups.map((g) => [g.key.bucket, metricsOf(g).incidents.total, metricsOf(g).incidents.per_1000_cases])).toEqual([
        ['2026-11-23T00:00:00.000Z', 4, 500],
        ['2026-11-24T00:00:00.000Z', 1, null],
      ]);
    });
  });
});
