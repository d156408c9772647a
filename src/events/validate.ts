import type { z } from 'zod';
import { buildEventSchemas, SAMPLING_ATTRS_FIELDS, type EventSchemas } from './schemas.js';
import { explainIssue } from './messages.js';
import type { EventRow } from './row.js';
import { limitText, resolveLimits, type EventLimits } from './limits.js';
import type { FieldIssue } from './field-issue.js';
import { attrsTooLarge, checkShapeLimits } from './shape-limits.js';
import { DEFAULT_REASON_CODES, EVENT_TYPES, type EventType } from './vocabulary.js';
import { compileFastCheck, type FastCheck } from './fast-check.js';

export type { FieldIssue };

/** Why an event of a batch was not stored; `index` is its 0-based position in the batch or file. */
export interface RejectedEvent {
  index: number;
  event_id?: string;
  type?: string;
  reason: string;
  issues: FieldIssue[];
}

export type ValidationResult = { ok: true; row: EventRow } | { ok: false; rejected: RejectedEvent };

export interface ValidatorOptions {
  /** Reason codes added by the deployment to the default taxonomy. */
  extraReasonCodes?: readonly string[];
  /** The deployment's limits; each one left out keeps its default (src/events/limits.ts). */
  limits?: Partial<EventLimits>;
  /** false: zod decides every event (the reference the fast path is tested against). */
  fastPath?: boolean;
}

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

/** Validates one event; `limits` are the ones it applies, for the checks made around it (events per request). */
export type Validator = ((raw: unknown, index: number, receivedAt: number) => ValidationResult) & { readonly limits: Readonly<EventLimits> };

export function createValidator(options: ValidatorOptions = {}): Validator {
  const limits = resolveLimits(options.limits);
  const reasonCodes = [...new Set([...DEFAULT_REASON_CODES, ...(options.extraReasonCodes ?? [])])];
  const schemas: EventSchemas = buildEventSchemas({ reasonCodes, maxFeatures: limits.maxFeatures });
  const knownKeys = new Map<string, ReadonlySet<string>>();
  for (const [type, schema] of Object.entries(schemas)) {
    knownKeys.set(type, new Set(Object.keys((schema as z.ZodObject).shape)));
  }
  // zod decides only what the compiled test is not sure of, and words every rejection
  const fastChecks = new Map<string, FastCheck>();
  for (const [type, schema] of options.fastPath === false ? [] : Object.entries(schemas)) {
    const check = compileFastCheck(schema as z.ZodType, limits, true);
    if (check) fastChecks.set(type, check);
  }

  const validate = (raw: unknown, index: number, receivedAt: number): ValidationResult => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return reject(index, undefined, [{ field: '(event)', message: `expected a JSON object, got ${kindOf(raw)}` }]);
    }
    const obj = nullsAsMissing(raw as Record<string, unknown>);
    const type = obj.type;
    if (typeof type !== 'string' || !EVENT_TYPE_SET.has(type)) {
      const message =
        type === undefined
          ? 'required field is missing'
          : `unknown event type ${JSON.stringify(type)}; expected one of ${EVENT_TYPES.join(', ')}`;
      return reject(index, obj, [{ field: 'type', message }]);
    }
    const known = knownKeys.get(type)!;
    const fast = fastChecks.get(type);
    if (fast !== undefined && fast(obj, 1)) {
      const extras = undeclared(obj, known);
      if (extras !== 'proto') {
        // attrs and unknown fields are the only values the compiled test does not bound
        const shapeIssue = extras ? checkShapeLimits(obj, limits, (key) => !known.has(key)) : undefined;
        if (shapeIssue) return reject(index, obj, [shapeIssue]);
        return accept(obj, index, known, receivedAt);
      }
    }
    // before zod and JSON.stringify, which recurse: a deep or huge value is one rejection here
    const shapeIssue = checkShapeLimits(obj, limits, (key) => !known.has(key));
    if (shapeIssue) return reject(index, obj, [shapeIssue]);
    const schema = schemas[type as EventType] as z.ZodType;
    // a custom error map halves zod's speed, so it is applied only to re-explain a failure
    const parsed = schema.safeParse(obj);
    if (!parsed.success) {
      const explained = schema.safeParse(obj, { error: explainIssue, reportInput: false });
      const issues = (explained.error ?? parsed.error).issues.map((i) => ({
        field: i.path.length ? i.path.join('.') : '(event)',
        message: i.message,
      }));
      return reject(index, obj, issues);
    }
    return accept(parsed.data as Record<string, unknown>, index, known, receivedAt, obj);
  };

  /** The checks after the schema's, on `parsed` (zod's output, or the input the fast test accepted). */
  const accept = (
    parsed: Record<string, unknown>,
    index: number,
    known: ReadonlySet<string>,
    receivedAt: number,
    obj: Record<string, unknown> = parsed,
  ): ValidationResult => {
    // RFC 3339 allows 't' and 'z'; upper-cased, the text is ECMAScript's own date-time form
    const tsMs = Date.parse((parsed.ts as string).toUpperCase());
    if (!Number.isFinite(tsMs)) {
      return reject(index, obj, [{ field: 'ts', message: 'not a real calendar time' }]);
    }
    const windowIssue = outsideWindow(tsMs, receivedAt, limits);
    if (windowIssue) return reject(index, obj, [{ field: 'ts', message: windowIssue }]);
    const row = toRow(parsed, known, tsMs, receivedAt);
    // the walk's size is a lower bound; the stored text is the exact measure (3 bytes per UTF-16 unit at most)
    if (row.attrs !== null && row.attrs.length * 3 > limits.maxAttrsBytes) {
      const bytes = Buffer.byteLength(row.attrs);
      if (bytes > limits.maxAttrsBytes) return reject(index, obj, [{ field: 'attrs', message: attrsTooLarge(limits, bytes) }]);
    }
    return { ok: true, row };
  };
  return Object.assign(validate, { limits });
}

/** Whether the event has attrs or fields its type does not declare; 'proto' for an own __proto__ key, which zod drops. */
function undeclared(obj: Record<string, unknown>, known: ReadonlySet<string>): boolean | 'proto' {
  let found = obj.attrs !== undefined;
  for (const key in obj) {
    if (key === '__proto__') return 'proto';
    if (!known.has(key)) found = true;
  }
  return found;
}

/**
 * Late events are normal (a reviewer's tool was offline); a year-9999 or year-1970 timestamp is
 * a bug or an attack, and stretches every time-based metric over its span. The upper bound moves
 * with the receiving time, so a replay of old files stays valid.
 */
function outsideWindow(tsMs: number, receivedAt: number, limits: Readonly<EventLimits>): string | undefined {
  if (tsMs < limits.tsNotBefore) return `before ${limitText('tsNotBefore', limits)}`;
  const latest = receivedAt + limits.tsMaxAheadMs;
  if (tsMs > latest) {
    return `${new Date(tsMs).toISOString()} is ahead of the receiving time ${new Date(receivedAt).toISOString()} by more than ${limitText('tsMaxAheadMs', limits)}`;
  }
  return undefined;
}

/**
 * A top-level null is a missing value, as a Parquet or Arrow NULL and an empty CSV cell already
 * are: one contract for every format (a null required field is then reported as missing).
 */
function nullsAsMissing(obj: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in obj) {
    if (obj[key] !== null) continue;
    copy ??= { ...obj };
    delete copy[key];
  }
  return copy ?? obj;
}

function reject(index: number, obj: Record<string, unknown> | undefined, issues: FieldIssue[]): ValidationResult {
  const eventId = typeof obj?.event_id === 'string' ? obj.event_id : undefined;
  const type = typeof obj?.type === 'string' ? obj.type : undefined;
  const reason = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return { ok: false, rejected: { index, event_id: eventId, type, reason, issues } };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : typeof v;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function toRow(parsed: Record<string, unknown>, known: ReadonlySet<string>, ts: number, receivedAt: number): EventRow {
  // only the fields the contract names for this type were validated; anything else (even a
  // name that is a column for another type) is an extra and goes to attrs, never to a column
  const e: Record<string, unknown> = {};
  const given = (parsed.attrs as Record<string, unknown> | undefined) ?? null;
  let attrs = given;
  let columnless: Record<string, unknown> | null = null;
  for (const key in parsed) {
    if (SAMPLING_ATTRS_FIELDS.has(key) && known.has(key)) {
      // validated contract fields without a column: kept in attrs (below, in the contract's
      // order: zod and the fast path hand the fields over in different orders)
      (columnless ??= {})[key] = parsed[key];
    } else if (known.has(key)) e[key] = parsed[key];
    else {
      // a copy: `parsed` may be the caller's own input (the fast path), never to be changed
      attrs = attrs === null ? {} : attrs === given ? { ...given } : attrs;
      // an explicit attrs entry wins over a stray top-level field of the same name
      if (!Object.hasOwn(attrs, key)) attrs[key] = parsed[key];
    }
  }
  if (columnless !== null) {
    // over any stray entry of the same name in attrs
    attrs = { ...attrs };
    for (const key of SAMPLING_ATTRS_FIELDS) if (Object.hasOwn(columnless, key)) attrs[key] = columnless[key];
  }
  const gate = e.gate as { id: string; checks: Record<string, string> } | undefined;
  return {
    event_id: e.event_id as string,
    type: e.type as EventType,
    ts,
    received_at: receivedAt,
    case_id: str(e.case_id),
    workflow: str(e.workflow),
    actor_id: str(e.actor_id),
    actor_role: str(e.actor_role),
    policy_version: str(e.policy_version),
    tier: num(e.tier),
    model_version: str(e.model_version),
    prompt_version: str(e.prompt_version),
    confidence: num(e.confidence),
    model_label: str(e.model_label),
    model_action: str(e.model_action),
    risk_signals: (e.risk_signals as string[] | undefined) ?? null,
    features: e.features === undefined ? null : featuresJson(e.features as Record<string, unknown>),
    input: str(e.input),
    output: str(e.output),
    lane: str(e.lane),
    rule_ids: (e.rule_ids as string[] | undefined) ?? null,
    sampled: typeof e.sampled === 'boolean' ? e.sampled : null,
    sampling_rate: num(e.sampling_rate),
    level: num(e.level),
    decision: str(e.decision),
    final_label: str(e.final_label),
    final_output: str(e.final_output),
    reason_code: str(e.reason_code),
    gate_id: gate ? gate.id : null,
    gate_checks: gate ? JSON.stringify(gate.checks) : null,
    from_level: num(e.from_level),
    to_level: num(e.to_level),
    trigger: str(e.trigger),
    outcome: str(e.outcome),
    verdict: str(e.verdict),
    correct_label: str(e.correct_label),
    severity: str(e.severity),
    attrs: attrs === null ? null : JSON.stringify(attrs),
  };
}

/** A replacer costs a call per value: only used when there is a null to drop. */
function featuresJson(features: Record<string, unknown>): string {
  for (const key in features) if (features[key] === null) return JSON.stringify(features, withoutNulls);
  return JSON.stringify(features);
}

/** A JSON.stringify replacer: a null feature is a missing value, stored as absent (as Parquet's NULL is). */
function withoutNulls(_key: string, value: unknown): unknown {
  return value === null ? undefined : value;
}
