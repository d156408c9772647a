import { z } from 'zod';
import {
  ACTOR_ROLES,
  DECISIONS,
  DEFAULT_REASON_CODES,
  ESCALATION_TRIGGERS,
  GATE_CHECK_RESULTS,
  LANES,
  OUTCOMES,
  SAMPLING_CAUSES,
  SAMPLING_STATES,
  SEVERITIES,
  VERDICTS,
} from './vocabulary.js';
import { limitText } from './limits.js';

/** Field limits: generous for real use, tight enough that one event cannot eat the server. */
export const LIMITS = {
  idLength: 256,
  shortText: 256,
  longText: 64 * 1024,
  listItems: 64,
  featureKeys: 256,
} as const;

const id = z.string().min(1).max(LIMITS.idLength);
const shortText = z.string().min(1).max(LIMITS.shortText);
const longText = z.string().max(LIMITS.longText);
const level = z.int().min(1).max(3);
const probability = z.number().min(0).max(1);

/**
 * RFC 3339 with an explicit offset ('Z' or ±hh:mm). A timestamp without an offset is
 * ambiguous across reviewer time zones, so it is rejected rather than guessed. RFC 3339
 * (section 5.6) allows the 'T' and 'Z' in lower case too; zod's datetime does not, so its
 * pattern (calendar checks included) is widened at exactly those two places.
 */
function rfc3339Pattern(): RegExp {
  const zods = z.iso.datetime({ offset: true, local: false })._zod.def.pattern!.source;
  const widened = zods.replace(')T(?:', ')[Tt](?:').replace('(?:Z|', '(?:[Zz]|');
  // a zod upgrade that reshapes its pattern must fail here, not silently stop accepting 't'
  if (widened.split('[Tt]').length !== 2 || widened.split('[Zz]').length !== 2) {
    throw new Error(`zod's datetime pattern changed shape: ${zods}`);
  }
  return new RegExp(widened);
}
const timestamp = z.stringFormat('date-time', rfc3339Pattern());

export interface SchemaOptions {
  /** The full reason-code taxonomy in force: the defaults plus the deployment's extras. */
  reasonCodes: readonly string[];
  /** Most keys in `features` (limits.maxFeatures); LIMITS.featureKeys when absent. */
  maxFeatures?: number;
}

export function reasonCodeSchema(codes: readonly string[]) {
  return z.enum(codes as [string, ...string[]]);
}

/** Fields every event may carry. `case_id` is required except where a type relaxes it. */
function common(options: SchemaOptions) {
  return {
    event_id: id,
    ts: timestamp,
    case_id: id,
    workflow: shortText.optional(),
    actor_id: id.optional(),
    actor_role: z.enum(ACTOR_ROLES).optional(),
    policy_version: shortText.optional(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    // reason codes appear on several types; one schema keeps the taxonomy in one place
    _reason: reasonCodeSchema(options.reasonCodes).optional(),
  };
}

export function buildEventSchemas(options: SchemaOptions) {
  const { _reason: reasonCode, ...base } = common(options);
  const caseless = { ...base, case_id: id.optional() };
  const maxFeatures = options.maxFeatures ?? LIMITS.featureKeys;
  const gate = z.object({
    id: shortText,
    checks: z.record(z.string().min(1).max(LIMITS.shortText), z.enum(GATE_CHECK_RESULTS)),
  });

  const schemas = {
    'case.created': z.looseObject({
      ...base,
      type: z.literal('case.created'),
      workflow: shortText,
      tier: z.int().min(1, 'tiers are 1, 2 or 3').max(3, 'tiers are 1, 2 or 3'),
      model_version: shortText.optional(),
      prompt_version: shortText.optional(),
      confidence: probability.optional(),
      model_label: shortText.optional(),
      model_action: shortText.optional(),
      risk_signals: z.array(shortText).max(LIMITS.listItems).optional(),
      // null is a missing value (common in real feature sets, and what a Parquet or Arrow NULL
      // is): accepted, and left out of the stored object, so drift skips it in every format
      features: z
        .record(z.string().min(1).max(LIMITS.shortText), z.union([z.number(), z.string().max(LIMITS.shortText), z.null()]))
        .refine((f) => Object.keys(f).length <= maxFeatures, `more features than ${limitText('maxFeatures', { maxFeatures })}`)
        .optional(),
      input: longText.optional(),
      output: longText.optional(),
    }),
    'case.triaged': z.looseObject({
      ...base,
      type: z.literal('case.triaged'),
      lane: z.enum(LANES),
      rule_ids: z.array(shortText).max(LIMITS.listItems).optional(),
      sampled: z.boolean().optional(),
      sampling_rate: probability.optional(),
    }),
    'review.assigned': z.looseObject({
      ...base,
      type: z.literal('review.assigned'),
      actor_id: id,
      level: level.optional(),
    }),
    'review.acknowledged': z.looseObject({
      ...base,
      type: z.literal('review.acknowledged'),
      actor_id: id,
      level: level.optional(),
    }),
    'review.decided': z.looseObject({
      ...base,
      type: z.literal('review.decided'),
      actor_id: id,
      level: level.optional(),
      decision: z.enum(DECISIONS),
      final_label: shortText.optional(),
      final_output: longText.optional(),
      reason_code: reasonCode,
      gate: gate.optional(),
    }),
    'case.escalated': z
      .looseObject({
        ...base,
        type: z.literal('case.escalated'),
        from_level: level.optional(),
        to_level: level,
        trigger: z.enum(ESCALATION_TRIGGERS),
        reason_code: reasonCode,
      })
      .refine((e) => e.from_level === undefined || e.to_level > e.from_level, {
        path: ['to_level'],
        message: 'to_level must be above from_level: an escalation moves a case up',
      }),
    'case.reopened': z.looseObject({
      ...base,
      type: z.literal('case.reopened'),
      reason_code: reasonCode,
    }),
    'case.closed': z.looseObject({
      ...base,
      type: z.literal('case.closed'),
      outcome: z.enum(OUTCOMES),
      final_label: shortText.optional(),
    }),
    'audit.completed': z.looseObject({
      ...base,
      type: z.literal('audit.completed'),
      actor_id: id,
      verdict: z.enum(VERDICTS),
      correct_label: shortText.optional(),
      reason_code: reasonCode,
      // an audit weight is 1/sampling_rate, so a zero rate would mean an impossible audit
      sampling_rate: z.number().gt(0).max(1).optional(),
    }),
    'line.stopped': z.looseObject({
      ...caseless,
      type: z.literal('line.stopped'),
      workflow: shortText,
      trigger: shortText.optional(),
    }),
    'line.resumed': z.looseObject({
      ...caseless,
      type: z.literal('line.resumed'),
      workflow: shortText,
      trigger: shortText.optional(),
    }),
    'incident.reported': z.looseObject({
      ...caseless,
      type: z.literal('incident.reported'),
      severity: z.enum(SEVERITIES),
    }),
    // the sampling controller's record of every change (docs/sampling.md); its own fields have
    // no column of the event log and are stored in attrs (SAMPLING_ATTRS_FIELDS)
    'sampling.changed': z.looseObject({
      ...caseless,
      type: z.literal('sampling.changed'),
      workflow: shortText,
      from_state: z.enum(SAMPLING_STATES),
      to_state: z.enum(SAMPLING_STATES),
      from_rate: probability,
      to_rate: probability,
      cause: z.enum(SAMPLING_CAUSES),
      detail: shortText.optional(),
      expires_at: timestamp.optional(),
    }),
  } as const;
  return schemas;
}

/**
 * Fields the contract names and validates that have no column of the event log: the stored
 * row keeps them in `attrs` (they win over an attrs entry of the same name), so adding them
 * needed no migration of either engine.
 */
export const SAMPLING_ATTRS_FIELDS: ReadonlySet<string> = new Set(['from_state', 'to_state', 'from_rate', 'to_rate', 'cause', 'detail', 'expires_at']);

export type EventSchemas = ReturnType<typeof buildEventSchemas>;
export type HitlEvent = { [K in keyof EventSchemas]: z.infer<EventSchemas[K]> }[keyof EventSchemas];

/** The schemas with the default taxonomy, for types, docs and the published JSON Schema. */
export const defaultEventSchemas = buildEventSchemas({ reasonCodes: DEFAULT_REASON_CODES });
