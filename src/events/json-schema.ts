import { z } from 'zod';
import { buildEventSchemas, LIMITS } from './schemas.js';
import { DEFAULT_REASON_CODES, EVENT_TYPES, LEVELS, type EventType } from './vocabulary.js';

export const EVENT_SCHEMA_ID = 'https://loopwatch.dev/schema/events.schema.json';

/** One line per type: shown by editors that read the schema, and kept in step with docs/events.md. */
const TYPE_DESCRIPTIONS: Record<EventType, string> = {
  'case.created': 'An AI output enters a HITL workflow: its service tier, model and prompt version, confidence, label and risk signals.',
  'case.triaged': 'The triage loop put the case in a lane (auto_approve, human_review, specialist_review, dual_review, approval, stop_the_line, reject).',
  'review.assigned': 'The case landed in a reviewer queue at an escalation level.',
  'review.acknowledged': 'The reviewer picked the case up (the acknowledgement SLA stops here).',
  'review.decided': 'A reviewer approved, overrode, rejected or escalated, with the final label, a reason code and the verification gate checks.',
  'case.escalated': 'The case moved up the escalation path, from_level to to_level, because of a trigger.',
  'case.reopened': 'A closed case came back for rework.',
  'case.closed': 'The final state of a case: executed, approved, rejected or cancelled.',
  'audit.completed': 'A QA auditor sampled a completed case and gave a verdict on its final decision.',
  'line.stopped': 'Stop-the-line: automation of a workflow is paused until a human completes a fresh review.',
  'line.resumed': 'The stopped line of a workflow runs again.',
  'incident.reported': 'A material failure, sev1 (worst) to sev4, for post-incident review.',
  'sampling.changed': "The QA sampling state or rate of a workflow's auto-approved work changed: from, to, cause and why (written by the sampling controller or a manual override).",
};

/** Descriptions of the common fields, the ones editors show most often. */
const FIELD_DESCRIPTIONS: Record<string, string> = {
  event_id: 'Idempotency key: a retry with the same event_id is counted as a duplicate and stored once.',
  type: 'The event type; decides which other fields apply.',
  ts: 'When it happened: RFC 3339 with an offset (Z or ±hh:mm; T and Z may be lower case, as RFC 3339 allows), stored as UTC with millisecond precision. Case state derives from ts, never from arrival order.',
  case_id: 'The case this event is about.',
  workflow: 'The HITL workflow, such as support_drafting.',
  actor_id: 'Who acted: a reviewer, an auditor or a system.',
  actor_role: 'The role the actor acted in.',
  policy_version: 'The policy version in force when the actor decided.',
  attrs: 'Free-form extra attributes, stored as JSON. Unknown top-level fields are stored here too; an explicit attrs key wins over a top-level field of the same name.',
  reason_code: 'A code of the reason taxonomy (the defaults plus the deployment\'s reasonCodes.extra).',
};

/**
 * The event contract as a JSON Schema (draft 2020-12), generated from the zod schemas so the
 * two cannot drift: one `$defs` entry per type, named after the type, and a `oneOf` over them
 * (they are told apart by the `type` constant). Extra top-level fields are allowed on purpose:
 * Loopwatch keeps them in `attrs`. `extraReasonCodes` extends the reason-code taxonomy, as a
 * deployment's `reasonCodes.extra` does.
 */
export function eventJsonSchema(extraReasonCodes: readonly string[] = []): Record<string, unknown> {
  const reasonCodes = [...new Set([...DEFAULT_REASON_CODES, ...extraReasonCodes])];
  const schemas = buildEventSchemas({ reasonCodes });
  const registry = z.registry<{ id: string; title: string; description: string }>();
  for (const type of EVENT_TYPES) {
    registry.add(schemas[type], { id: type, title: type, description: TYPE_DESCRIPTIONS[type] });
  }
  const escalated = schemas['case.escalated'];
  const features = schemas['case.created'].shape.features.unwrap();

  const union = z.discriminatedUnion('type', EVENT_TYPES.map((t) => schemas[t]) as unknown as [z.ZodObject, z.ZodObject]);
  const generated = z.toJSONSchema(union, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: registry,
    // zod cannot translate refinements; these two are the ones JSON Schema can say
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === escalated) jsonSchema.allOf = escalationOrder();
      if (zodSchema === features) jsonSchema.maxProperties = LIMITS.featureKeys;
    },
  }) as { oneOf: unknown[]; $defs: Record<string, { properties: Record<string, Record<string, unknown>> }> };

  const defs: Record<string, unknown> = {};
  for (const [type, def] of Object.entries(generated.$defs)) {
    for (const [field, description] of Object.entries(FIELD_DESCRIPTIONS)) {
      const property = def.properties[field];
      if (property) def.properties[field] = { description, ...property };
    }
    // title and description first: that is what a reader of the file looks for
    const { title, description, ...rest } = def as typeof def & { title: string; description: string };
    defs[type] = { title, description, ...rest };
  }

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: EVENT_SCHEMA_ID,
    title: 'Loopwatch HITL review event',
    description:
      'One event of the Loopwatch human-in-the-loop review contract (see docs/events.md). A request ' +
      'body to POST /v1/events is one such object, a JSON array of them, or NDJSON with one per line.',
    $comment: 'Generated from src/events/schemas.ts by `npm run schema`; do not edit by hand.',
    oneOf: generated.oneOf,
    $defs: defs,
  };
}

/** The schema file's text: stable key order, two-space indent, trailing newline. */
export function renderEventJsonSchema(extraReasonCodes: readonly string[] = []): string {
  return `${JSON.stringify(eventJsonSchema(extraReasonCodes), null, 2)}\n`;
}

/** `to_level > from_level` when from_level is given, spelt out for each level JSON Schema can compare. */
function escalationOrder() {
  return LEVELS.map((level) => ({
    if: { properties: { from_level: { const: level } }, required: ['from_level'] },
    then: { properties: { to_level: { exclusiveMinimum: level } } },
  }));
}
