import { z } from 'zod';
import { LANES } from '../../events/vocabulary.js';

/** Every output format (docs/datasets.md#formats). */
export const DATASET_FORMATS = ['chat', 'preference', 'kto', 'jsonl', 'csv', 'parquet', 'arrow'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
/** Formats whose rows are examples for a trainer; the others carry the flat record. */
export const TRAINING_FORMATS: ReadonlySet<DatasetFormat> = new Set(['chat', 'preference', 'kto']);

/** Resolved decisions a dataset can be cut to (escalate hands a case on, it settles nothing). */
export const DATASET_DECISIONS = ['approve', 'override', 'reject'] as const;
export type DatasetDecision = (typeof DATASET_DECISIONS)[number];

export const SPLIT_PARTS = ['train', 'validation', 'test'] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];

const commaList = <T extends string>(allowed?: readonly T[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(allowed ? z.array(z.enum(allowed as unknown as [T, ...T[]])).min(1) : z.array(z.string().min(1)).min(1));

const flag = z.union([z.boolean(), z.stringbool()]);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** `80/10/10` (train/validation/test) or `90/10` (train/test), in percent adding up to 100. */
const splitSpec = z
  .string()
  .regex(/^\d{1,3}(\/\d{1,3}){1,2}$/, 'expected percentages such as 80/10/10 or 90/10')
  .transform((s) => s.split('/').map(Number))
  .refine((p) => p.reduce((a, b) => a + b, 0) === 100, 'the percentages must add up to 100')
  .transform((p): SplitSpec => (p.length === 3 ? { train: p[0], validation: p[1], test: p[2] } : { train: p[0], validation: 0, test: p[1] }));

export type SplitSpec = Record<SplitPart, number>;

/**
 * What one export asks for, with the names of GET /v1/datasets/export's query parameters (the
 * CLI's flags map onto them): the format, the usual cuts, the dataset's own cuts and its privacy.
 */
export const exportOptionsSchema = z
  .object({
    format: z.enum(DATASET_FORMATS),
    /** preference only: `trl` writes TRL's prompt/chosen/rejected instead of OpenAI's DPO rows. */
    flavor: z.enum(['openai', 'trl']).default('openai'),
    workflow: z.string().min(1).optional(),
    tier: z.coerce.number().int().min(1).max(3).optional(),
    lane: z.enum(LANES).optional(),
    model_version: z.string().min(1).optional(),
    policy_version: z.string().min(1).optional(),
    from: instant.optional(),
    to: instant.optional(),
    decision: commaList(DATASET_DECISIONS).optional(),
    reason_code: commaList().optional(),
    agreed_only: flag.default(false),
    split: splitSpec.optional(),
    /** With a split, the training formats write one part per file; over HTTP, the part to send. */
    part: z.enum(SPLIT_PARTS).optional(),
    /** Include pseudonymized reviewer ids (refused without a configured key). */
    reviewer_ids: flag.default(false),
    redact: flag.default(false),
  })
  .strict()
  .refine((o) => !o.from || !o.to || o.from < o.to, { path: ['to'], message: 'to must be after from' })
  .refine((o) => o.flavor === 'openai' || o.format === 'preference', { path: ['flavor'], message: 'a flavor applies to the preference format only' })
  .refine((o) => !o.part || o.split, { path: ['part'], message: 'a part needs a split (split=80/10/10)' });

export type ExportOptions = z.output<typeof exportOptionsSchema>;
export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

/** The filters as the manifest records them: what was asked, in the request's own words. */
export function describeFilters(o: ExportOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['workflow', 'tier', 'lane', 'model_version', 'policy_version', 'decision', 'reason_code'] as const) {
    if (o[key] !== undefined) out[key] = o[key];
  }
  if (o.from) out.from = o.from.toISOString();
  if (o.to) out.to = o.to.toISOString();
  out.agreed_only = o.agreed_only;
  return out;
}
