import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuesFamily } from '../../src/metrics/families/queues.js';
import { slaFamily } from '../../src/metrics/families/sla.js';
import { metricsConfigSchema } from '../../src/config/metrics.js';
import { buildCalendar, deadlineOf } from '../../src/metrics/sla/calendar.js';
import { calendarReach, ruleOf } from '../../src/metrics/sla/params.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// Minutes are offsets from Mon 23 Nov 2026 09:00Z; "now" is the fixture's Tue 24 Nov 12:00Z
// (+1620). The default policy's calendar is UTC, Mon-Fri 09:00-17:00. Every expected number
// is read off the scenario by hand; the quantiles (type 7, linear) were checked with Python's
// statistics.quantiles(method='inclusive').
const S = 'support_drafting';
const I = 'it_access_requests';
const F = 'finance_adjustments';

function scenario() {
  const events: Record<string, unknown>[] = [];
  const c = (id: string, workflow: string, tier: number, lane: string, at = 0, extra: Record<string, unknown> = {}) => {
    const s = caseScript(id).add(at, 'case.created', { workflow, tier, ...extra }).add(at + 1, 'case.triaged', { lane, ...(extra.sampled !== undefined ? { sampled: extra.sampled } : {}) });
    events.push(...s.events);
    return { add: (m: number, type: string, f: Record<string, unknown> = {}) => (s.add(m, type, f), events.push(s.events.at(-1)!)) };
  };
  const assign = (x: ReturnType<typeof c>, m: number, r: string, level = 1) => x.add(m, 'review.assigned', { actor_id: r, level });
  const decide = (x: ReturnType<typeof c>, m: number, r: string, decision = 'approve') => x.add(m, 'review.decided', { actor_id: r, decision });
  // support_drafting: the queue
  const q1 = c('q1', S, 2, 'human_review'); assign(q1, 10, 'r1'); q1.add(20, 'review.acknowledged', { actor_id: 'r1' }); decide(q1, 70, 'r1'); q1.add(71, 'case.closed', { outcome: 'executed' });
  assign(c('q2', S, 2, 'human_review'), 5, 'r2'); // open, never acknowledged
  const q3 = c('q3', S, 2, 'human_review'); assign(q3, 30, 'r3'); q3.add(45, 'review.acknowledged', { actor_id: 'r3' }); // open
  c('q4', S, 1, 'specialist_review'); // triaged, nobody assigned
  const q6 = c('q6', S, 2, 'human_review'); assign(q6, 8, 'r4'); assign(q6, 50, 'r5'); // reassigned: r5 holds it
  const q8 = c('q8', S, 2, 'human_review'); assign(q8, 5, 'r6'); q8.add(30, 'case.closed', { outcome: 'cancelled' });
  assign(c('q9', S, 2, 'human_review', 1549), 1560, 'r7'); // Tue 11:00
  assign(c('q13', S, 2, 'human_review', 1604), 1610, 'r8'); // Tue 11:50: acknowledgement not yet due
  assign(c('q14', S, 2, 'human_review', 1605), 1680, 'r8'); // assigned after now: unassigned at now
  // it_access_requests: escalations, a concurrent dual review
  const q5 = c('q5', I, 3, 'approval'); assign(q5, 2, 'r1'); decide(q5, 10, 'r1', 'escalate');
  q5.add(11, 'case.escalated', { from_level: 1, to_level: 2, trigger: 'policy' }); assign(q5, 12, 'ap1', 2);
  // both hold q7 at level 1 at once; the later-assigned r9 decides first, r2 still holds it
  const q7 = c('q7', I, 2, 'dual_review'); assign(q7, 5, 'r2'); assign(q7, 6, 'r9'); decide(q7, 30, 'r9');
  const e2 = c('e2', I, 2, 'human_review', 0, { risk_signals: ['access_change'] }); assign(e2, 3, 'r10'); e2.add(4, 'review.acknowledged', { actor_id: 'r10' }); decide(e2, 45, 'r10'); e2.add(46, 'case.closed', { outcome: 'executed' });
  c('e3', I, 3, 'approval', 2); // high risk, untouched
  // timed out at level 1 without a decision: the escalation ends r16's item
  const e5 = c('e5', I, 2, 'approval'); assign(e5, 2, 'r16'); e5.add(40, 'case.escalated', { from_level: 1, to_level: 2, trigger: 'sla_timeout' }); assign(e5, 41, 'ap2', 2);
  const e4 = c('e4', I, 1, 'human_review'); assign(e4, 2, 'r11'); e4.add(3, 'review.acknowledged', { actor_id: 'r11' }); decide(e4, 10, 'r11'); e4.add(11, 'case.closed', { outcome: 'executed' });
  // finance_adjustments: business hours, sampling, dual review, the line
  for (const [id, decidedAt] of [['b10', 1559], ['b11', 1561]] as const) {
    const b = c(id, F, 2, 'human_review', 359); assign(b, 362, 'r12'); b.add(365, 'review.acknowledged', { actor_id: 'r12' });
    decide(b, decidedAt, 'r12'); b.add(decidedAt + 1, 'case.closed', { outcome: 'executed' });
  }
  for (const [id, audited] of [['s1', 1499], ['s2', 1501], ['s3', null], ['s4', 0]] as const) {
    const s = c(id, F, 1, 'auto_approve', id === 's3' ? 1559 : 59, { sampled: id !== 's4' });
    if (id !== 's3') s.add(61, 'case.closed', { outcome: 'executed' });
    if (audited) s.add(audited, 'audit.completed', { actor_id: 'qa1', verdict: 'correct' });
  }
  const d1 = c('d1', F, 3, 'dual_review'); assign(d1, 2, 'r13'); assign(d1, 3, 'r14'); decide(d1, 60, 'r13'); decide(d1, 270, 'r14'); d1.add(271, 'case.closed', { outcome: 'approved' });
  const d2 = c('d2', F, 2, 'dual_review'); assign(d2, 2, 'r13'); decide(d2, 5, 'r13'); decide(d2, 10, 'r13');
  const at = (m: number) => new Date(Date.UTC(2026, 10, 23, 9) + m * 60_000).toISOString();
  events.push(
    { event_id: 'stop-1', type: 'line.stopped', ts: at(0), workflow: F },
    { event_id: 'resume-1', type: 'line.resumed', ts: at(50), workflow: F },
    { event_id: 'stop-2', type: 'line.stopped', ts: at(100), workflow: F },
  );
  return events;
}

const group = (r: { groups: { key: Record<string, unknown>; metrics: any }[] }, key: Record<string, unknown>) =>
  r.groups.find((g) => JSON.stringify(g.key) === JSON.stringify(key))?.metrics;

forEachStore((kind) => {
  describe('queues family', () => {
    let fx: MetricsFixture;
    beforeAll(async () => (fx = await metricsFixture(scenario(), kind)));
    afterAll(() => fx?.close());

    it('counts open items at now with their ages and levels', async () => {
      const all = group(await fx.compute(queuesFamily), {});
      // ages (s): q13 600, q14 840, q9 3600, q6 94200, e5 94740, q3 95400, q5 96480, q7 96900, q2 96900, e3 97020, q4 97140
      expect(all).toMatchObject({ open_items: 11, oldest_age_seconds: 97140 });
      // n = 11: p50 at h = 5 → 95400; p90 at h = 9 → 97020; p99 at h = 9.9 → 97020 + 0.9·120
      expect(all.age_seconds).toEqual({ p50: 95400, p90: 97020, p99: expect.closeTo(97128, 6) });
      expect(Object.fromEntries(Object.entries(all.by_level).map(([l, v]: [string, any]) => [l, v.open_items]))).toEqual({ 1: 6, 2: 2, 3: 0, unassigned: 3 });
      expect(all.by_level['3']).toEqual({ open_items: 0, oldest_age_seconds: null, age_seconds: { p50: null, p90: null, p99: null } });
      expect(all.by_level.unassigned.oldest_age_seconds).toBe(97140);
    });

    it('cuts open items by workflow, lane, tier, reviewer, window and bucket', async () => {
      const s = group(await fx.compute(queuesFamily, { group_by: 'workflow' }), { workflow: S });
      expect(s.open_items).toBe(7);
      // n = 7: p50 = the 4th of 600, 840, 3600, 94200, 95400, 96900, 97140; p90 at h = 5.4
      expect([s.age_seconds.p50, s.age_seconds.p90]).toEqual([94200, expect.closeTo(96996, 6)]);
      const lanes = await fx.compute(queuesFamily, { workflow: S, group_by: 'lane' });
      expect(lanes.groups.map((g) => [g.key.lane, (g.metrics as any).open_items])).toEqual([['human_review', 6], ['specialist_review', 1]]);
      expect(group(await fx.compute(queuesFamily, { tier: 3 }), {}).open_items).toBe(2); // q5 at level 2, e3 unassigned
      expect(group(await fx.compute(queuesFamily, { reviewer: 'r5' }), {}).open_items).toBe(1); // q6 after the reassignment
      expect((await fx.compute(queuesFamily, { reviewer: 'r4' })).groups).toEqual([]); // r4's item ended, r4 acknowledged nothing
      const byReviewer = await fx.compute(queuesFamily, { workflow: I, group_by: 'reviewer' });
      // reviewers with no open item are there for their time_to rows
      expect(byReviewer.groups.map((g) => [g.key.reviewer, (g.metrics as any).open_items])).toEqual([
        ['ap1', 1], ['ap2', 1], ['r1', 0], ['r10', 0], ['r11', 0], ['r16', 0], ['r2', 1], ['r9', 0], [null, 1],
      ]);
      const days = await fx.compute(queuesFamily, { bucket: 'day' });
      expect(days.groups.map((g) => [g.key.bucket, (g.metrics as any).open_items])).toEqual([['2026-11-23T00:00:00.000Z', 8], ['2026-11-24T00:00:00.000Z', 3]]);
      expect(group(await fx.compute(queuesFamily, { from: '2026-11-24T00:00:00Z' }), {}).open_items).toBe(3);
    });

    it('judges every item as of now', async () => {
      const early = group(await fx.compute(queuesFamily, {}, { now: new Date(Date.UTC(2026, 10, 23, 9, 25)) }), {});
      // assigned and not yet decided: q1, q2, q6 (r4), q7 ×2, q8, q5 (ap1), e2, e5 (r16), d1 ×2; not yet assigned: q3, q4, e3
      expect(early.open_items).toBe(14);
      expect(early.by_level.unassigned.open_items).toBe(3);
    });

    it('gives the time each step took, with exact quantiles', async () => {
      const t = group(await fx.compute(queuesFamily), {}).time_to;
      // acknowledge: 60, 60, 180, 180, 180, 480 (q5's decision), 600, 900, 1500 (q7's decision), 3480 (d1's decision)
      expect(t.acknowledge).toEqual({ n: 10, p50: 330, p90: expect.closeTo(1698, 6), p99: expect.closeTo(3301.8, 6) });
      // decide, from triage: 240, 540, 1740, 2640, 3540, 4140, 71940, 72060 (b10, b11 over the night)
      expect(t.decide).toEqual({ n: 8, p50: 3090, p90: expect.closeTo(71976, 6), p99: expect.closeTo(72051.6, 6) });
      // escalate: q5 600, e5 2340; p90 = 600 + 0.9·1740
      expect(t.escalate).toEqual({ n: 2, p50: 1470, p90: expect.closeTo(2166, 6), p99: expect.closeTo(2322.6, 6) });
      // close: 60 ×3 (s1, s2, s4), 600, 1740, 2700, 4200, 16200, 72000, 72120
      expect(t.close).toEqual({ n: 10, p50: 2220, p90: expect.closeTo(72012, 6), p99: expect.closeTo(72109.2, 6) });
      const f = group(await fx.compute(queuesFamily, { group_by: 'workflow' }), { workflow: F });
      expect(f.open_items).toBe(0);
      expect(f.time_to.escalate).toEqual({ n: 0, p50: null, p90: null, p99: null });
    });
  });

  const outcome = (met: number, breached: number, open: number, pending: number) => ({ met, breached, open_breached: open, pending });

  describe('sla family', () => {
    let fx: MetricsFixture;
    beforeAll(async () => (fx = await metricsFixture(scenario(), kind)));
    afterAll(() => fx?.close());

    it('classifies every clock as met, breached, open and breached, or pending', async () => {
      const r = await fx.compute(slaFamily, { group_by: 'workflow' });
      const s = group(r, { workflow: S });
      // q1 600 s, q3 900 s (at the deadline) met; q8 closed after 25 min; q2, q6, q9 open past 15 min; q13 not yet due
      expect(s.acknowledge).toMatchObject({ ...outcome(2, 4, 3, 1), max_overdue_seconds: 96000 });
      expect(s.acknowledge.breach_rate).toMatchObject({ value: 4 / 6, numerator: 4, denominator: 6 });
      // q1, q8 met; q2, q3, q6 open past Mon 13:01, q4 past Mon 17:00 (same day); q9, q13, q14 not yet due
      expect(s.complete).toMatchObject({ ...outcome(2, 4, 4, 3), max_overdue_seconds: 82740 });
      expect(s.escalate).toMatchObject({ ...outcome(0, 0, 0, 0), max_overdue_seconds: null, breach_rate: { value: null } });
      const i = group(r, { workflow: I });
      expect(i.complete).toMatchObject(outcome(2, 3, 3, 0)); // e2, e4 met; q5, e3, e5 open past Mon 17:00
      expect(i.escalate).toMatchObject({ ...outcome(1, 2, 1, 0), max_overdue_seconds: 95220 }); // q5 met; e2 at 44 min; e3 open since 09:33
      expect([i.primary, i.secondary]).toMatchObject([outcome(1, 0, 0, 0), outcome(0, 1, 1, 0)]); // q7: r9 has not decided
      const f = group(r, { workflow: F });
      // Mon 15:00 + 4 business hours = Tue 11:00: b10 decided 10:59, b11 11:01
      expect(f.complete).toMatchObject(outcome(1, 1, 0, 0));
      expect([f.primary, f.secondary, f.escalate]).toMatchObject([outcome(2, 0, 0, 0), outcome(0, 2, 1, 0), outcome(0, 1, 0, 0)]);
      expect(f.sample_review).toMatchObject(outcome(1, 1, 0, 1)); // one business day: s1 at Tue 09:59, s2 at 10:01, s3 due Wed
      expect(f.resolve).toMatchObject({ ...outcome(1, 1, 1, 0), max_overdue_seconds: 87600 });
    });

    it('cuts by lane, tier, reviewer and hour', async () => {
      const lane = group(await fx.compute(slaFamily, { lane: 'specialist_review' }), {});
      expect(lane.complete).toMatchObject(outcome(0, 1, 1, 0));
      const tier3 = group(await fx.compute(slaFamily, { tier: 3 }), {});
      expect(tier3.escalate).toMatchObject(outcome(1, 2, 1, 0)); // q5, e3, d1
      expect(tier3.resolve).toMatchObject(outcome(0, 0, 0, 0)); // a line has no tier
      const r4 = group(await fx.compute(slaFamily, { reviewer: 'r4' }), {});
      expect([r4.acknowledge, r4.complete]).toMatchObject([outcome(0, 1, 1, 0), outcome(0, 0, 0, 0)]);
      const hours = await fx.compute(slaFamily, { workflow: S, bucket: 'hour' });
      expect(hours.groups.map((g) => [g.key.bucket, (g.metrics as any).acknowledge.breached])).toEqual([
        ['2026-11-23T09:00:00.000Z', 3],
        ['2026-11-24T10:00:00.000Z', 0],
        ['2026-11-24T11:00:00.000Z', 1],
      ]);
    });
  });

  describe('sla deadlines in SQL against the calendar reference', () => {
    // Berlin hours, short Fridays, Christmas off, and one workflow per kind of business deadline
    const day = [['09:00', '17:00']];
    const config = metricsConfigSchema.parse({
      sla: {
        calendar: {
          timeZone: 'Europe/Berlin',
          hours: { mon: day, tue: day, wed: day, thu: day, fri: [['09:00', '13:00']] },
          holidays: ['2026-12-24', '2026-12-25'],
        },
        workflows: {
          wf_business: { lanes: { approval: { complete: { minutes: 240, clock: 'business' } } } },
          wf_sameday: { lanes: { approval: { complete: { sameBusinessDay: true } } } },
          wf_days: { lanes: { approval: { complete: { businessDays: 1 } } } },
          wf_off: { lanes: { approval: { complete: null } } },
        },
      },
    });
    // arrivals around both DST changes, weekends, the holidays, opening and closing time
    const arrivals = [
      '2026-03-27T08:30:00Z', '2026-03-27T15:59:00Z', '2026-03-27T16:30:00Z', '2026-03-28T12:00:00Z', '2026-03-29T01:30:00Z',
      '2026-03-30T06:59:00Z', '2026-03-30T07:00:00Z', '2026-10-23T14:00:00Z', '2026-10-25T01:30:00Z', '2026-10-26T07:30:00Z',
      '2026-11-24T09:00:00Z', '2026-11-24T20:00:00Z', '2026-11-25T16:00:00Z', '2026-11-26T14:00:00Z', '2026-11-27T15:00:00Z', '2026-12-23T16:30:00Z', '2026-12-24T10:00:00Z',
    ].map(Date.parse);
    const workflows = ['wf_business', 'wf_sameday', 'wf_days'] as const;
    let fx: MetricsFixture;

    beforeAll(async () => {
      const policy = config.sla;
      const periods = buildCalendar(policy.calendar, Date.UTC(2026, 2, 1), Date.UTC(2027, 0, 31), calendarReach(policy));
      const events: Record<string, unknown>[] = [];
      for (const wf of [...workflows, 'wf_off']) {
        const rule = ruleOf(policy.workflows[wf].lanes.approval!.complete ?? { minutes: 1, clock: 'wall' });
        arrivals.forEach((t, n) => {
          const due = deadlineOf(periods, t, rule);
          // one case done exactly at the reference deadline (met), one a second later (breached)
          for (const [suffix, done] of [['on-time', due], ['late', due + 1000]] as const) {
            const id = `${wf}-${n}-${suffix}`;
            const ts = (ms: number) => new Date(ms).toISOString();
            events.push(
              { event_id: `${id}-c`, type: 'case.created', ts: ts(t), case_id: id, workflow: wf, tier: 1 },
              { event_id: `${id}-t`, type: 'case.triaged', ts: ts(t), case_id: id, lane: 'approval' },
              { event_id: `${id}-d`, type: 'review.decided', ts: ts(done), case_id: id, actor_id: 'ap1', decision: 'approve' },
              { event_id: `${id}-x`, type: 'case.closed', ts: ts(done), case_id: id, outcome: 'executed' },
            );
          }
        });
      }
      // reworked: closed on Monday's decision, reopened, decided again days later; complete
      // stops at the decision the first close acted on (Mon 10:00Z, due 15:00Z): met
      const rework = caseScript('rework', Date.UTC(2026, 10, 23, 9));
      rework.add(0, 'case.created', { workflow: 'wf_business', tier: 1 }).add(0, 'case.triaged', { lane: 'approval' });
      rework.add(60, 'review.decided', { actor_id: 'ap1', decision: 'approve' }).add(60, 'case.closed', { outcome: 'executed' });
      rework.add(1440, 'case.reopened').add(4000, 'review.decided', { actor_id: 'ap1', decision: 'override' }).add(4000, 'case.closed', { outcome: 'executed' });
      fx = await metricsFixture([...events, ...rework.events], kind);
    });
    afterAll(() => fx?.close());

    it('puts every deadline on the same millisecond as calendar.ts', async () => {
      const r = await fx.compute(slaFamily, { group_by: 'workflow' }, { config, now: new Date(Date.UTC(2027, 0, 31)) });
      // a SQL deadline a second early would breach an on-time case; a second late would pass a late one
      const n = arrivals.length;
      expect(group(r, { workflow: 'wf_business' }).complete).toMatchObject(outcome(n + 1, n, 0, 0)); // + the reworked case
      for (const wf of ['wf_sameday', 'wf_days']) expect(group(r, { workflow: wf }).complete).toMatchObject(outcome(n, n, 0, 0));
      // wf_off switched its only clock off: it has no clock at all, so no group
      expect(r.groups.map((g) => g.key.workflow)).toEqual(['wf_business', 'wf_days', 'wf_sameday']);
    });
  });
});
