import type { z } from 'zod';

/**
 * A compiled acceptance test for one zod schema: true only when zod would accept the value.
 * False means "not sure": the caller then asks zod itself, which decides and words the reason,
 * so a false here never rejects anything on its own. Only soundness matters (true implies zod
 * accepts); test/unit/fast-validator.test.ts checks it against zod on generated events.
 */
export type FastCheck = (value: unknown, depth: number) => boolean;

/** Bounds the compiled test adds on top of the schema, so that it also implies the shape limits. */
export interface FastBounds {
  maxStringLength: number;
  maxDepth: number;
}

// zod's internal definition, read only for the kinds compiled below
interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; [k: string]: unknown }; check: (p: { value: unknown; issues: unknown[] }) => void } }[];
  [k: string]: unknown;
}
type Check = NonNullable<Def['checks']>[number];

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** zod's own check function, for checks not compiled here (refinements, formats): exact by construction. */
function zodCheck(check: Check): (v: unknown) => boolean {
  const run = check._zod.check;
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    run(payload);
    return payload.issues.length === 0;
  };
}

/** Length and range checks compiled inline; anything else runs zod's check. */
function compileChecks(checks: readonly Check[], measure: 'length' | 'number'): ((v: never) => boolean)[] {
  return checks.map((c): ((v: never) => boolean) => {
    const d = c._zod.def;
    if (measure === 'length' && d.check === 'min_length') return (v: { length: number }) => v.length >= (d.minimum as number);
    if (measure === 'length' && d.check === 'max_length') return (v: { length: number }) => v.length <= (d.maximum as number);
    if (measure === 'number' && d.check === 'greater_than') {
      const min = d.value as number;
      return d.inclusive ? (v: number) => v >= min : (v: number) => v > min;
    }
    if (measure === 'number' && d.check === 'less_than') {
      const max = d.value as number;
      return d.inclusive ? (v: number) => v <= max : (v: number) => v < max;
    }
    return zodCheck(c) as (v: never) => boolean;
  });
}

function all<T>(tests: ((v: T) => boolean)[]): (v: T) => boolean {
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  return (v) => {
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}

/**
 * Compiles a schema into a FastCheck, or returns null for a kind it does not know (a new type
 * built with something else then simply goes through zod). Fields an object does not declare
 * make the test answer false (not sure: zod and the shape limits look at them), except at the
 * top level when `topLevelExtras` is set: the caller then checks them itself.
 */
export function compileFastCheck(schema: z.ZodType, bounds: FastBounds, topLevelExtras = false): FastCheck | null {
  const def = defOf(schema);
  // a schema that is itself a check (z.int(), z.stringFormat(...)) carries its own test
  const selfCheck = 'check' in def ? [schema as unknown as Check] : [];
  const checks = [...selfCheck, ...(def.checks ?? [])];
  switch (def.type) {
    case 'string': {
      const rest = all(compileChecks(checks, 'length') as ((v: string) => boolean)[]);
      return (v) => typeof v === 'string' && v.length <= bounds.maxStringLength && rest(v);
    }
    case 'number': {
      const rest = all(compileChecks(checks, 'number') as ((v: number) => boolean)[]);
      return (v) => typeof v === 'number' && Number.isFinite(v) && rest(v);
    }
    case 'boolean':
      return checks.length ? null : (v) => typeof v === 'boolean';
    case 'null':
      return checks.length ? null : (v) => v === null;
    case 'unknown':
      return checks.length ? null : () => true;
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return checks.length ? null : (v) => values.has(v) && (typeof v !== 'string' || v.length <= bounds.maxStringLength);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return checks.length ? null : (v) => values.has(v) && (typeof v !== 'string' || v.length <= bounds.maxStringLength);
    }
    case 'optional': {
      const inner = compileFastCheck(def.innerType as z.ZodType, bounds);
      return inner && !checks.length ? (v, depth) => v === undefined || inner(v, depth) : null;
    }
    case 'union': {
      const options = (def.options as z.ZodType[]).map((o) => compileFastCheck(o, bounds));
      if (checks.length || options.some((o) => o === null)) return null;
      const compiled = options as FastCheck[];
      return (v, depth) => compiled.some((o) => o(v, depth));
    }
    case 'array': {
      const element = compileFastCheck(def.element as z.ZodType, bounds);
      if (!element) return null;
      const rest = all(compileChecks(checks, 'length') as ((v: unknown[]) => boolean)[]);
      return (v, depth) => {
        if (!Array.isArray(v) || depth > bounds.maxDepth || !rest(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i], depth + 1)) return false;
        return true;
      };
    }
    case 'record': {
      const key = compileFastCheck(def.keyType as z.ZodType, bounds);
      const value = compileFastCheck(def.valueType as z.ZodType, bounds);
      if (!key || !value) return null;
      const rest = all(checks.map(zodCheck));
      return (v, depth) => {
        if (!isPlain(v) || depth > bounds.maxDepth) return false;
        for (const k in v) {
          // zod drops an own __proto__ key from its output: the stored JSON would differ
          if (k === '__proto__' || !key(k, depth + 1) || !value(v[k], depth + 1)) return false;
        }
        return rest(v);
      };
    }
    case 'object':
      return compileObject(def, checks, bounds, topLevelExtras);
    default:
      return null;
  }
}

function compileObject(def: Def, checks: Check[], bounds: FastBounds, extras: boolean): FastCheck | null {
  const catchall = def.catchall === undefined ? 'strip' : defOf(def.catchall).type;
  if (catchall !== 'strip' && catchall !== 'unknown' && catchall !== 'never') return null;
  const shape = def.shape as Record<string, z.ZodType>;
  const keys = Object.keys(shape);
  if (keys.some((k) => k.length > bounds.maxStringLength)) return null;
  const fields = keys.map((k) => compileFastCheck(shape[k], bounds));
  if (fields.some((f) => f === null)) return null;
  const compiled = fields as FastCheck[];
  const known = new Set(keys);
  const rest = all(checks.map(zodCheck));
  return (v, depth) => {
    if (!isPlain(v) || depth > bounds.maxDepth) return false;
    for (let i = 0; i < keys.length; i++) if (!compiled[i](v[keys[i]], depth + 1)) return false;
    // a stripped field is never seen by zod's checks, but the shape limits would still walk it
    if (!extras || catchall === 'never') for (const k in v) if (!known.has(k)) return false;
    return rest(v);
  };
}
