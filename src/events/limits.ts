/**
 * The limits that protect the server from one hostile or careless event (STYLE rule 13): each
 * has a name, a default, a config key and an environment variable, and every rejection it causes
 * names it, so that a client told "over the limit" knows which setting to ask for.
 * docs/events.md lists them; the config module maps the keys below onto `EventLimits`.
 */
export interface EventLimits {
  /** Deepest nesting of objects and arrays in one event; the event itself is level 1. */
  maxDepth: number;
  /** Longest string anywhere in an event (values and keys, attrs and unknown fields included), in UTF-16 code units. */
  maxStringLength: number;
  /** Largest stored `attrs` (attrs plus the unknown top-level fields that join it), as UTF-8 JSON bytes. */
  maxAttrsBytes: number;
  /** Most keys and array items in the stored `attrs`, counted at every level of nesting. */
  maxAttrsKeys: number;
  /** Most keys in `features`. */
  maxFeatures: number;
  /** Most events in one HTTP request. */
  maxEventsPerRequest: number;
  /** Earliest accepted `ts`, as epoch milliseconds. */
  tsNotBefore: number;
  /** How far `ts` may run ahead of the time the event was received, in milliseconds. */
  tsMaxAheadMs: number;
}

export interface LimitSpec {
  /** The config-file key (camelCase, under `limits`). */
  configKey: string;
  env: string;
  default: number;
  /** How the default reads in docs and messages. */
  describe: (value: number) => string;
}

const DAY_MS = 86_400_000;
const count = (v: number) => v.toLocaleString('en-US');
const bytes = (v: number) => (v % 1024 === 0 ? `${count(v / 1024)} KiB` : `${count(v)} bytes`);

export const LIMIT_SPECS: { readonly [K in keyof EventLimits]: LimitSpec } = {
  maxDepth: { configKey: 'limits.maxDepth', env: 'LOOPWATCH_MAX_DEPTH', default: 32, describe: (v) => `${count(v)} levels` },
  maxStringLength: {
    configKey: 'limits.maxStringLength',
    env: 'LOOPWATCH_MAX_STRING_LENGTH',
    default: 64 * 1024,
    // no thousands separator: the schema's own length messages print the bare number
    describe: (v) => `${v} characters`,
  },
  maxAttrsBytes: { configKey: 'limits.maxAttrsBytes', env: 'LOOPWATCH_MAX_ATTRS_BYTES', default: 256 * 1024, describe: bytes },
  maxAttrsKeys: { configKey: 'limits.maxAttrsKeys', env: 'LOOPWATCH_MAX_ATTRS_KEYS', default: 1000, describe: (v) => `${count(v)} keys and items` },
  maxFeatures: { configKey: 'limits.maxFeatures', env: 'LOOPWATCH_MAX_FEATURES', default: 256, describe: (v) => `${count(v)} features` },
  maxEventsPerRequest: {
    configKey: 'limits.maxEventsPerRequest',
    env: 'LOOPWATCH_MAX_EVENTS_PER_REQUEST',
    default: 50_000,
    describe: (v) => `${count(v)} events`,
  },
  tsNotBefore: {
    configKey: 'limits.tsNotBefore',
    env: 'LOOPWATCH_TS_NOT_BEFORE',
    default: Date.UTC(2000, 0, 1),
    describe: (v) => new Date(v).toISOString(),
  },
  tsMaxAheadMs: {
    configKey: 'limits.tsMaxAheadMs',
    env: 'LOOPWATCH_TS_MAX_AHEAD_MS',
    default: DAY_MS,
    describe: (v) => (v > 0 && v % 3_600_000 === 0 ? `${count(v / 3_600_000)} h` : `${count(v)} ms`),
  },
};

export const DEFAULT_LIMITS: Readonly<EventLimits> = Object.freeze(
  Object.fromEntries(Object.entries(LIMIT_SPECS).map(([k, s]) => [k, s.default])) as unknown as EventLimits,
);

/** The limits in force: the defaults, overridden by whatever the deployment set. */
export function resolveLimits(overrides: Partial<EventLimits> = {}): Readonly<EventLimits> {
  const limits: EventLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_SPECS) as (keyof EventLimits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isFinite(v) || (key !== 'tsNotBefore' && (v < 0 || !Number.isInteger(v)))) {
      throw new RangeError(`${LIMIT_SPECS[key].configKey} must be a non-negative integer, got ${v}`);
    }
    limits[key] = v;
  }
  return Object.freeze(limits);
}

/** "the limit of 32 levels (limits.maxDepth, LOOPWATCH_MAX_DEPTH)": the tail of every rejection a limit causes. */
export function limitText<K extends keyof EventLimits>(key: K, limits: Readonly<Pick<EventLimits, K>>): string {
  const spec = LIMIT_SPECS[key];
  return `the limit of ${spec.describe(limits[key])} (${spec.configKey}, ${spec.env})`;
}
