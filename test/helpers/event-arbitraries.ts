import fc from 'fast-check';
import { eventJsonSchema } from '../../src/events/json-schema.js';
import { EVENT_TYPES, type EventType } from '../../src/events/vocabulary.js';

type JsonSchema = Record<string, any>;

/**
 * fast-check arbitraries for valid events, derived from the published JSON Schema (itself
 * generated from the zod schemas), so a field added to the contract is fuzzed without editing
 * this file. Strings use all of Unicode, lone surrogates included, as JSON can carry them.
 */
export function validEventArbitraries(receivedAt: number): Record<EventType, fc.Arbitrary<Record<string, unknown>>> {
  const defs = (eventJsonSchema() as { $defs: Record<string, JsonSchema> }).$defs;
  const out = {} as Record<EventType, fc.Arbitrary<Record<string, unknown>>>;
  for (const type of EVENT_TYPES) {
    let arb = objectArb(defs[type], receivedAt);
    // the one cross-field rule JSON Schema states only as a comment: an escalation moves up
    if (type === 'case.escalated') {
      arb = arb.map((e) => {
        if (e.from_level !== undefined && (e.to_level as number) <= (e.from_level as number)) delete e.from_level;
        return e;
      });
    }
    out[type] = arb;
  }
  return out;
}

/** Small free-form JSON for attrs and unknown fields: well inside every limit. */
export const smallJson = fc.jsonValue({ maxDepth: 4, depthSize: 'small' });

function objectArb(schema: JsonSchema, receivedAt: number): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, JsonSchema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) record[key] = key === 'attrs' ? fc.dictionary(fc.string({ maxLength: 12 }), smallJson, { maxKeys: 6 }) : valueArb(sub, receivedAt);
  const known = fc.record(record, { requiredKeys: [...required] });
  if (schema.additionalProperties === false) return known;
  // unknown top-level fields are legal and end up in attrs
  const extras = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in props) && k !== '__proto__'),
    smallJson.filter((v) => v !== null),
    { maxKeys: 3 },
  );
  return fc.tuple(known, extras).map(([k, x]) => ({ ...x, ...k }));
}

function valueArb(schema: JsonSchema, receivedAt: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s: JsonSchema) => valueArb(s, receivedAt)));
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return timestampArb(receivedAt);
      // 'binary' units can be two UTF-16 code units each: halving keeps within maxLength
      return fc.string({ unit: 'binary', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) / 2 });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
    case 'number':
      return fc.double({
        min: schema.exclusiveMinimum !== undefined ? Number.MIN_VALUE : (schema.minimum ?? -1e12),
        max: schema.maximum ?? 1e12,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valueArb(schema.items ?? {}, receivedAt), { maxLength: Math.min(schema.maxItems ?? 8, 8) });
    case 'object':
      if (schema.properties) return objectArb(schema, receivedAt);
      return fc.dictionary(valueArb(schema.propertyNames ?? { type: 'string' }, receivedAt) as fc.Arbitrary<string>, valueArb(schema.additionalProperties ?? {}, receivedAt), {
        maxKeys: Math.min(schema.maxProperties ?? 8, 8),
      });
    default:
      return smallJson;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** RFC 3339 inside the accepted window, with any offset, any fraction and either case of T and Z. */
export function timestampArb(receivedAt: number, min = Date.UTC(2000, 0, 1), max = receivedAt + 86_400_000 - 1000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), fc.boolean(), fc.boolean(), fc.constantFrom('', '.5', '.123', '.123456789'))
    .map(([ms, offsetMin, zulu, lower, fraction]) => {
      const offset = zulu ? 0 : offsetMin;
      const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000);
      const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
      const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}`;
      const zone = zulu ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
      const text = `${date}T${time}${zone}`;
      return lower ? text.replace('T', 't').replace('Z', 'z') : text;
    });
}
