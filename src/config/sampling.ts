import { z } from 'zod';
import {
  DEFAULT_SAMPLING_DEFECT_RATE,
  DEFAULT_SAMPLING_DRIFT_CHECKS,
  DEFAULT_SAMPLING_GRACE_MINUTES,
  DEFAULT_SAMPLING_INTERVAL_SECONDS,
  DEFAULT_SAMPLING_MIN_AUDITS,
  DEFAULT_SAMPLING_RATE,
  DEFAULT_SAMPLING_REDUCE_WINDOWS,
  DEFAULT_SAMPLING_REDUCED_RATE,
  DEFAULT_SAMPLING_RELAX_WINDOWS,
  DEFAULT_SAMPLING_TIGHTEN_K,
  DEFAULT_SAMPLING_TIGHTEN_N,
  DEFAULT_SAMPLING_TIGHTENED_RATES,
  DEFAULT_SAMPLING_TIMEOUT_SECONDS,
  DEFAULT_SAMPLING_WINDOW_HOURS,
  MAX_SCHEDULE_INTERVAL_SECONDS,
  MAX_SCHEDULE_TIMEOUT_SECONDS,
} from './defaults.js';

// a zero rate would make an audit weight 1/rate infinite: every rate samples something
const rate = z.number().gt(0).max(1);
const windows = z.int().min(1).max(1000);

/** `sampling` in the config file (docs/sampling.md#configuration). */
export const samplingConfigSchema = z
  .object({
    /** Run the controller job in `loopwatch serve`. */
    enabled: z.boolean().default(true),
    /** The normal rate of every workflow without one of its own in `workflows`. */
    rate: rate.default(DEFAULT_SAMPLING_RATE),
    /** Tightened rates, ascending, each above the normal rate: one rung per step; the last is the ceiling. */
    tightenedRates: z.array(rate).min(1).max(10).default(DEFAULT_SAMPLING_TIGHTENED_RATES),
    reducedRate: rate.default(DEFAULT_SAMPLING_REDUCED_RATE),
    /** Per-workflow normal rate. */
    workflows: z.record(z.string().min(1), z.object({ rate }).strict()).default({}),
    /** The length of a window (the lot the switching rules judge); windows are aligned to the Unix epoch. */
    windowHours: z.number().gt(0).max(24 * 31).default(DEFAULT_SAMPLING_WINDOW_HOURS),
    graceMinutes: z.number().min(0).max(24 * 60).default(DEFAULT_SAMPLING_GRACE_MINUTES),
    /** Step up one rung when `failed` of the last `of` windows since the last change failed. */
    tighten: z
      .object({ failed: windows.default(DEFAULT_SAMPLING_TIGHTEN_K), of: windows.default(DEFAULT_SAMPLING_TIGHTEN_N) })
      .strict()
      .refine((t) => t.failed <= t.of, { path: ['failed'], message: 'cannot exceed of' })
      .prefault({}),
    /** Step down one rung after this many clean windows in a row. */
    relax: z.object({ cleanWindows: windows.default(DEFAULT_SAMPLING_RELAX_WINDOWS) }).strict().prefault({}),
    /** From normal to reduced after this many clean windows in a row; `enabled: false` never reduces. */
    reduce: z.object({ enabled: z.boolean().default(true), cleanWindows: windows.default(DEFAULT_SAMPLING_REDUCE_WINDOWS) }).strict().prefault({}),
    /** A window fails on audit defects when incorrect / audits exceeds maxRate, with at least minAudits audits. */
    defects: z
      .object({ maxRate: z.number().min(0).max(1).default(DEFAULT_SAMPLING_DEFECT_RATE), minAudits: z.int().min(1).default(DEFAULT_SAMPLING_MIN_AUDITS) })
      .strict()
      .prefault({}),
    /** Drift checks that fail a window: paths such as `confidence.ks`, or prefixes such as `features`; empty: drift never does. */
    driftChecks: z.array(z.string().min(1)).default(DEFAULT_SAMPLING_DRIFT_CHECKS),
    schedule: z
      .object({
        intervalSeconds: z.number().min(1).max(MAX_SCHEDULE_INTERVAL_SECONDS).default(DEFAULT_SAMPLING_INTERVAL_SECONDS),
        timeoutSeconds: z.number().min(1).max(MAX_SCHEDULE_TIMEOUT_SECONDS).default(DEFAULT_SAMPLING_TIMEOUT_SECONDS),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const normal = [c.rate, ...Object.values(c.workflows).map((w) => w.rate)];
    c.tightenedRates.forEach((r, i) => {
      if (i > 0 && r <= c.tightenedRates[i - 1]) ctx.addIssue({ code: 'custom', path: ['tightenedRates', i], message: 'tightened rates must ascend' });
    });
    if (c.tightenedRates[0] <= Math.max(...normal)) ctx.addIssue({ code: 'custom', path: ['tightenedRates', 0], message: 'must be above every normal rate' });
    if (c.reducedRate >= Math.min(...normal)) ctx.addIssue({ code: 'custom', path: ['reducedRate'], message: 'must be below every normal rate' });
  });

export type SamplingConfig = z.output<typeof samplingConfigSchema>;

export const defaultSamplingConfig = (): SamplingConfig => samplingConfigSchema.parse({});

/** The normal rate of a workflow: its own, else the default. */
export function normalRate(config: SamplingConfig, workflow: string): number {
  return config.workflows[workflow]?.rate ?? config.rate;
}
