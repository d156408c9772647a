import { z } from 'zod';
import { LANES, type Lane } from '../events/vocabulary.js';

/** The SLA clocks; docs/metrics/queues-sla.md#stages says which events start and stop each. */
export const STAGES = ['acknowledge', 'complete', 'primary', 'secondary', 'escalate', 'resolve', 'sample_review'] as const;
export type Stage = (typeof STAGES)[number];

const CASE_STAGES: readonly Stage[] = ['acknowledge', 'complete', 'escalate'];
/** The clocks a lane can have: the events that start and stop a clock only occur in these lanes. */
export const LANE_STAGES: Record<Lane, readonly Stage[]> = {
  auto_approve: ['sample_review'],
  human_review: CASE_STAGES,
  specialist_review: CASE_STAGES,
  approval: CASE_STAGES,
  dual_review: [...CASE_STAGES, 'primary', 'secondary'],
  stop_the_line: [...CASE_STAGES, 'resolve'],
  reject: [],
};

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A target as written in the config file, and as parsed (parsing the output again is a no-op). */
export type TargetConfig =
  | { minutes: number; clock: 'wall' | 'business' }
  | { sameBusinessDay: true }
  | { businessDays: number };
export type LaneTargets = Partial<Record<Stage, TargetConfig>>;
export type LaneOverrides = Partial<Record<Stage, TargetConfig | null>>;

const wall = (minutes: number): TargetConfig => ({ minutes, clock: 'wall' });
const business = (minutes: number): TargetConfig => ({ minutes, clock: 'business' });
const SAME_DAY: TargetConfig = { sameBusinessDay: true };

/**
 * The playbook's numbers (§3 and the table of §5). Escalation is urgent, so it runs on the
 * wall clock; review work is done in working hours, so it runs on the business calendar.
 */
export const DEFAULT_LANE_TARGETS: Record<Lane, LaneTargets> = {
  auto_approve: { sample_review: { businessDays: 1 } },
  human_review: { acknowledge: wall(15), complete: business(240), escalate: wall(30) },
  specialist_review: { complete: SAME_DAY, escalate: wall(30) },
  approval: { complete: SAME_DAY, escalate: wall(30) },
  dual_review: { primary: business(120), secondary: business(240), escalate: wall(30) },
  stop_the_line: { resolve: wall(60) },
  reject: {},
};

const DEFAULT_HOURS: Record<Weekday, [string, string][]> = {
  sun: [],
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
  sat: [],
};

const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a time HH:MM from 00:00 to 24:00');
export const minuteOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const dayHours = z.array(z.tuple([clockTime, clockTime])).superRefine((periods, ctx) => {
  periods.forEach(([from, to], i) => {
    if (minuteOfDay(to) <= minuteOfDay(from)) {
      ctx.addIssue({ code: 'custom', path: [i], message: `${from}-${to} ends before it starts; a night shift is two periods, one on each day` });
    } else if (i > 0 && minuteOfDay(from) < minuteOfDay(periods[i - 1][1])) {
      ctx.addIssue({ code: 'custom', path: [i], message: `${from}-${to} overlaps or precedes the period before it; list periods in order` });
    }
  });
});

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

export const calendarSchema = z
  .object({
    timeZone: z
      .string()
      .superRefine((tz, ctx) => {
        if (!isTimeZone(tz)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(tz)} is not an IANA time zone such as Europe/Berlin or UTC` });
      })
      .default('UTC'),
    /** Working periods per weekday; a weekday left out of a given `hours` has none. */
    hours: z
      .object(Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.optional()])) as Record<Weekday, z.ZodOptional<typeof dayHours>>)
      .strict()
      .optional()
      .transform((h): Record<Weekday, [string, string][]> =>
        h ? (Object.fromEntries(WEEKDAYS.map((d) => [d, h[d] ?? []])) as Record<Weekday, [string, string][]>) : DEFAULT_HOURS,
      ),
    /** Local dates (in timeZone) with no working time. */
    holidays: z.array(isoDay).default([]),
  })
  .strict();
export type CalendarConfig = z.output<typeof calendarSchema>;

const targetSchema = z
  .object({
    minutes: z.number().positive().max(525_600).optional(),
    clock: z.enum(['wall', 'business']).optional(),
    sameBusinessDay: z.literal(true).optional(),
    businessDays: z.number().int().min(1).max(30).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const forms = [t.minutes, t.sameBusinessDay, t.businessDays].filter((v) => v !== undefined).length;
    if (forms !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected exactly one of { minutes, clock: "wall" | "business" }, { sameBusinessDay: true }, { businessDays: n }',
      });
    }
    if (t.clock !== undefined && t.minutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['clock'], message: 'clock goes with minutes; sameBusinessDay and businessDays always count business time' });
    }
  })
  .transform((t): TargetConfig => {
    if (t.minutes !== undefined) return { minutes: t.minutes, clock: t.clock ?? 'wall' };
    if (t.sameBusinessDay) return SAME_DAY;
    return { businessDays: t.businessDays! };
  });

/** A lane's clocks; `null` switches off a clock the defaults (or the lane, for a workflow) set. */
const laneStagesSchema = z
  .object(Object.fromEntries(STAGES.map((s) => [s, targetSchema.nullable().optional()])) as Record<Stage, z.ZodOptional<z.ZodNullable<typeof targetSchema>>>)
  .strict();
const lanesSchema = z
  .object(Object.fromEntries(LANES.map((l) => [l, laneStagesSchema.optional()])) as Record<Lane, z.ZodOptional<typeof laneStagesSchema>>)
  .strict()
  .superRefine((lanes, ctx) => {
    for (const [lane, stages] of Object.entries(lanes) as [Lane, LaneOverrides | undefined][]) {
      for (const stage of Object.keys(stages ?? {}) as Stage[]) {
        if (LANE_STAGES[lane].includes(stage)) continue;
        const allowed = LANE_STAGES[lane].length ? LANE_STAGES[lane].join(', ') : 'none';
        ctx.addIssue({ code: 'custom', path: [lane, stage], message: `lane ${lane} has no ${stage} clock; its clocks: ${allowed}` });
      }
    }
  });

export const slaPolicySchema = z
  .object({
    calendar: calendarSchema.prefault({}),
    /** Merged over DEFAULT_LANE_TARGETS stage by stage; null switches a default off. */
    lanes: lanesSchema.default({}),
    /** Per workflow name, merged over `lanes` stage by stage. */
    workflows: z.record(z.string().min(1), z.object({ lanes: lanesSchema.default({}) }).strict()).default({}),
  })
  .strict()
  .transform((p) => ({ ...p, lanes: mergeLanes(DEFAULT_LANE_TARGETS, p.lanes) }))
  .superRefine((p, ctx) => {
    const usesCalendar = (t: TargetConfig | null | undefined) => !!t && !('clock' in t && t.clock === 'wall');
    const weekHasHours = WEEKDAYS.some((d) => p.calendar.hours[d].length > 0);
    if (weekHasHours) return;
    const users = [
      ...laneEntries(p.lanes).filter(([, , t]) => usesCalendar(t)).map(([l, s]) => `lanes.${l}.${s}`),
      ...Object.entries(p.workflows).flatMap(([w, o]) =>
        laneEntries(o.lanes).filter(([, , t]) => usesCalendar(t)).map(([l, s]) => `workflows.${w}.lanes.${l}.${s}`),
      ),
    ];
    if (users.length) {
      ctx.addIssue({ code: 'custom', path: ['calendar', 'hours'], message: `no working hours in the week, but business time is used by ${users.join(', ')}` });
    }
  });
export type SlaPolicy = z.output<typeof slaPolicySchema>;

// a switched-off clock stays in the output as null, so that parsing the output again does
// not bring the default back
function mergeLanes(base: Record<Lane, LaneTargets>, over: Partial<Record<Lane, LaneOverrides>>): Record<Lane, LaneOverrides> {
  return Object.fromEntries(LANES.map((lane) => [lane, { ...base[lane], ...over[lane] }])) as Record<Lane, LaneOverrides>;
}

function laneEntries(lanes: Partial<Record<Lane, LaneOverrides>>): [Lane, Stage, TargetConfig | null | undefined][] {
  return Object.entries(lanes).flatMap(([lane, stages]) =>
    Object.entries(stages ?? {}).map(([stage, t]) => [lane as Lane, stage as Stage, t] as [Lane, Stage, TargetConfig | null | undefined]),
  );
}

export const defaultSlaPolicy = (): SlaPolicy => slaPolicySchema.parse({});

/** An IANA zone name Intl knows (the same ICU data the SLA clock computes with). */
function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
