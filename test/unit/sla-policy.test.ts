import { describe, expect, it } from 'vitest';
import { metricsConfigSchema } from '../../src/config/metrics.js';
import { calendarReach, ruleParams } from '../../src/metrics/sla/params.js';
import { defaultSlaPolicy, slaPolicySchema } from '../../src/config/sla-policy.js';

/** Every issue as "path: message", as the config loader prints them. */
function problems(input: unknown): string[] {
  const r = slaPolicySchema.safeParse(input);
  if (r.success) throw new Error('expected the policy to be refused');
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('SLA policy defaults', () => {
  it('are the playbook numbers', () => {
    const p = defaultSlaPolicy();
    expect(p.lanes.human_review).toEqual({
      acknowledge: { minutes: 15, clock: 'wall' },
      complete: { minutes: 240, clock: 'business' },
      escalate: { minutes: 30, clock: 'wall' },
    });
    expect(p.lanes.specialist_review.complete).toEqual({ sameBusinessDay: true });
    expect(p.lanes.approval.complete).toEqual({ sameBusinessDay: true });
    expect(p.lanes.dual_review).toMatchObject({ primary: { minutes: 120 }, secondary: { minutes: 240 } });
    expect(p.lanes.stop_the_line).toEqual({ resolve: { minutes: 60, clock: 'wall' } });
    expect(p.lanes.auto_approve).toEqual({ sample_review: { businessDays: 1 } });
    expect(p.lanes.reject).toEqual({});
    expect(p.calendar).toEqual({
      timeZone: 'UTC',
      hours: { sun: [], mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [] },
      holidays: [],
    });
  });

  it('are what the metrics section gets when it says nothing', () => {
    expect(metricsConfigSchema.parse({}).sla).toEqual(defaultSlaPolicy());
    expect(metricsConfigSchema.parse({}).schedule).toEqual({ intervalSeconds: 60, timeoutSeconds: 120 });
  });
});

describe('SLA policy merging', () => {
  it('merges a lane stage by stage over the defaults; null switches a clock off', () => {
    const p = slaPolicySchema.parse({ lanes: { human_review: { acknowledge: { minutes: 10 }, escalate: null } } });
    expect(p.lanes.human_review).toEqual({ acknowledge: { minutes: 10, clock: 'wall' }, complete: { minutes: 240, clock: 'business' }, escalate: null });
    expect(ruleParams(p).rule_stage.filter((s, i) => s === 'escalate' && ruleParams(p).rule_lane[i] === 'human_review')).toEqual([]);
    expect(p.lanes.approval.complete).toEqual({ sameBusinessDay: true });
  });

  it('gives a workflow its own rows, an off switch included, over the lane defaults', () => {
    const p = slaPolicySchema.parse({
      workflows: { finance_adjustments: { lanes: { approval: { complete: { minutes: 120, clock: 'business' }, escalate: null } } } },
    });
    const r = ruleParams(p);
    const rows = r.rule_workflow.map((w, i) => [w, r.rule_lane[i], r.rule_stage[i], r.rule_kind[i], r.rule_amount[i]]);
    expect(rows).toContainEqual(['finance_adjustments', 'approval', 'complete', 'business', 120 * 60_000]);
    expect(rows).toContainEqual(['finance_adjustments', 'approval', 'escalate', 'off', 0]);
    expect(rows).toContainEqual(['', 'approval', 'complete', 'end_of_business_day', 0]);
    expect(rows).toContainEqual(['', 'auto_approve', 'sample_review', 'business_days', 1]);
    expect(rows).toContainEqual(['', 'human_review', 'acknowledge', 'wall', 15 * 60_000]);
  });

  it('parses its own output to the same policy', () => {
    const once = slaPolicySchema.parse({
      calendar: { timeZone: 'Europe/Berlin', hours: { mon: [['08:00', '12:00'], ['13:00', '17:00']] }, holidays: ['2026-12-25'] },
      lanes: { dual_review: { secondary: null } },
      workflows: { hr: { lanes: { human_review: { complete: { businessDays: 2 } } } } },
    });
    expect(slaPolicySchema.parse(once)).toEqual(once);
    expect(once.calendar.hours.tue).toEqual([]); // a weekday left out of given hours has none
  });

  it('tells how far the calendar must reach: the longest business target', () => {
    expect(calendarReach(defaultSlaPolicy())).toEqual({ businessMs: 240 * 60_000, businessDays: 1 });
    const p = slaPolicySchema.parse({ workflows: { hr: { lanes: { approval: { complete: { businessDays: 3 } } } } } });
    expect(calendarReach(p).businessDays).toBe(3);
  });
});

describe('SLA policy validation', () => {
  it('names a bad time zone, time, period order or holiday', () => {
    expect(problems({ calendar: { timeZone: 'Europe/Berlinn' } })).toEqual([
      'calendar.timeZone: "Europe/Berlinn" is not an IANA time zone such as Europe/Berlin or UTC',
    ]);
    expect(problems({ calendar: { hours: { mon: [['9:00', '17:00']] } } })[0]).toBe('calendar.hours.mon.0.0: expected a time HH:MM from 00:00 to 24:00');
    expect(problems({ calendar: { hours: { fri: [['22:00', '06:00']] } } })).toEqual([
      'calendar.hours.fri.0: 22:00-06:00 ends before it starts; a night shift is two periods, one on each day',
    ]);
    expect(problems({ calendar: { hours: { tue: [['09:00', '13:00'], ['12:00', '17:00']] } } })).toEqual([
      'calendar.hours.tue.1: 12:00-17:00 overlaps or precedes the period before it; list periods in order',
    ]);
    expect(problems({ calendar: { holidays: ['2026-02-30'] } })).toEqual(['calendar.holidays.0: not a calendar date']);
    expect(problems({ calendar: { hours: { monday: [] } } })[0]).toMatch(/^calendar\.hours: .*monday/);
  });

  it('refuses a clock a lane cannot have, and says which it can', () => {
    expect(problems({ lanes: { auto_approve: { acknowledge: { minutes: 5 } } } })).toEqual([
      'lanes.auto_approve.acknowledge: lane auto_approve has no acknowledge clock; its clocks: sample_review',
    ]);
    expect(problems({ workflows: { hr: { lanes: { reject: { complete: { minutes: 5 } } } } } })).toEqual([
      'workflows.hr.lanes.reject.complete: lane reject has no complete clock; its clocks: none',
    ]);
  });

  it('wants exactly one form of target', () => {
    const form = 'expected exactly one of { minutes, clock: "wall" | "business" }, { sameBusinessDay: true }, { businessDays: n }';
    expect(problems({ lanes: { approval: { complete: { minutes: 60, businessDays: 1 } } } })).toEqual([`lanes.approval.complete: ${form}`]);
    expect(problems({ lanes: { approval: { complete: { sameBusinessDay: true, clock: 'business' } } } })).toEqual([
      'lanes.approval.complete.clock: clock goes with minutes; sameBusinessDay and businessDays always count business time',
    ]);
    expect(problems({ lanes: { approval: { complete: { minutes: 0 } } } })[0]).toMatch(/^lanes\.approval\.complete\.minutes: /);
  });

  it('refuses business time from a week without working hours, naming every clock that uses it', () => {
    const off = { human_review: { complete: null }, specialist_review: { complete: null }, approval: { complete: null }, dual_review: { primary: null, secondary: null } };
    expect(problems({ calendar: { hours: {} }, lanes: { ...off, auto_approve: { sample_review: null } }, workflows: { hr: { lanes: { approval: { complete: { businessDays: 1 } } } } } })).toEqual([
      'calendar.hours: no working hours in the week, but business time is used by workflows.hr.lanes.approval.complete',
    ]);
    expect(slaPolicySchema.safeParse({ calendar: { hours: {} }, lanes: { ...off, auto_approve: { sample_review: null } } }).success).toBe(true);
  });
});
