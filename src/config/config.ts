import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { LIMIT_SPECS, type EventLimits } from '../events/limits.js';
import { explainIssue } from '../events/messages.js';
import {
  DEFAULT_AUTH_MODE,
  DEFAULT_BODY_LIMIT,
  DEFAULT_CLICKHOUSE_DATABASE,
  DEFAULT_DB_PATH,
  DEFAULT_DUCKDB_MEMORY_LIMIT,
  DEFAULT_HOST,
  DEFAULT_INGEST_QUEUE_LIMIT,
  DEFAULT_MAX_ROWS_PER_WRITE,
  DEFAULT_OPEN_METRICS,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_GRACE_SECONDS,
  MAX_CLICKHOUSE_TTL_DAYS,
  MAX_INGEST_WORKERS,
  MAX_MAX_ROWS_PER_WRITE,
  MAX_SHUTDOWN_GRACE_SECONDS,
} from './defaults.js';
import { datasetsConfigSchema } from './datasets.js';
import { metricsConfigSchema } from './metrics.js';
import { samplingConfigSchema } from './sampling.js';
import { reviewConfigSchema } from './review.js';

/**
 * Every setting and its default, in one place. Sources, weakest first: these defaults, the
 * config file (--config or LOOPWATCH_CONFIG), LOOPWATCH_* environment variables, command-line
 * flags. Parsed once at start; nothing deeper reads process.env.
 */
// every limit is a whole, non-negative number of its unit; defaults come from LIMIT_SPECS
const limitsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(LIMIT_SPECS).map(([key, spec]) => [key, z.coerce.number().int().min(key === 'tsNotBefore' ? Number.MIN_SAFE_INTEGER : 0).default(spec.default)]),
    ) as { [K in keyof EventLimits]: z.ZodDefault<z.ZodCoercedNumber<unknown>> },
  )
  .strict();

export const configSchema = z
  .object({
    store: z.enum(['duckdb', 'clickhouse']).default('duckdb'),
    db: z.string().min(1).default(DEFAULT_DB_PATH),
    duckdbMemoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size such as 512MB or 2GiB')
      .default(DEFAULT_DUCKDB_MEMORY_LIMIT),
    /** http(s)://user:password@host:8123 for a server, or chdb:/path for the in-process engine. */
    clickhouseUrl: z
      .string()
      .refine((u) => /^https?:\/\//.test(u) || u.startsWith('chdb:'), 'expected http(s)://host:8123 or chdb:/path')
      .optional(),
    clickhouseDatabase: z.string().regex(/^[A-Za-z_]\w*$/, 'expected a database name of letters, digits and _').default(DEFAULT_CLICKHOUSE_DATABASE),
    /** Retention by event time in days; 0 keeps everything. */
    clickhouseTtlDays: z.coerce.number().int().min(0).max(MAX_CLICKHOUSE_TTL_DAYS).default(0),
    clickhouseCluster: z.string().regex(/^[A-Za-z_]\w*$/, 'expected a cluster name of letters, digits and _').optional(),
    /** async_insert=1, wait_for_async_insert=1: for many small senders. */
    clickhouseAsyncInsert: z.union([z.boolean(), z.stringbool()]).default(false),
    host: z.string().min(1).default(DEFAULT_HOST),
    port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
    /** Largest request body, after gzip decompression. */
    bodyLimit: z
      .string()
      .regex(/^\d+(kb|mb)$/i, 'expected a size such as 512kb or 64mb')
      .default(DEFAULT_BODY_LIMIT),
    /** Request bodies held at once (read and not yet answered); a request beyond it gets 429 with Retry-After. */
    ingestQueueLimit: z
      .string()
      .regex(/^\d+(kb|mb)$/i, 'expected a size such as 512kb or 128mb')
      .default(DEFAULT_INGEST_QUEUE_LIMIT),
    /**
     * Threads that parse, validate and serialize POST /v1/events bodies beside the main thread
     * (0: the main thread does it); unset: one per core, at most DEFAULT_INGEST_WORKERS.
     */
    ingestWorkers: z.coerce.number().int().min(0).max(MAX_INGEST_WORKERS).optional(),
    /** Most rows merged into one database write by group commit. */
    maxRowsPerWrite: z.coerce.number().int().min(1).max(MAX_MAX_ROWS_PER_WRITE).default(DEFAULT_MAX_ROWS_PER_WRITE),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** pretty (human-readable, for a terminal) or json (one object a line); unset: pretty on a TTY. */
    logFormat: z.enum(['pretty', 'json']).optional(),
    reasonCodes: z
      .object({ extra: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'reason codes are snake_case')).default([]) })
      .default({ extra: [] }),
    /** Seconds to wait for in-flight requests on shutdown before closing anyway. */
    shutdownGraceSeconds: z.coerce.number().min(0).max(MAX_SHUTDOWN_GRACE_SECONDS).default(DEFAULT_SHUTDOWN_GRACE_SECONDS),
    /** Access control (docs/security.md): `required` refuses to start without a token; `auto` enforces tokens once one exists. */
    auth: z.enum(['auto', 'required']).default(DEFAULT_AUTH_MODE),
    /** Where token hashes live; unset: next to the DuckDB file (loopwatch.tokens.json). */
    tokensFile: z.string().min(1).optional(),
    /** Listen on a non-loopback address with no token, i.e. open to the network: only when said so. */
    allowUnauthenticated: z.union([z.boolean(), z.stringbool()]).default(false),
    /** Serve the Prometheus scrape /metrics without a token (it holds counters, no events). */
    openMetrics: z.union([z.boolean(), z.stringbool()]).default(DEFAULT_OPEN_METRICS),
    /** Limits on one event and one request (src/events/limits.ts, docs/events.md#limits). */
    limits: limitsSchema.prefault({}),
    /** The Prometheus series of /metrics (docs/prometheus.md; config file only). */
    prometheus: z
      .object({
        /** Series per reviewer (hitl_reviewer_*): off by default, reviewer ids are personal and many. */
        perReviewer: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Metric jobs: schedule, SLA policy and calendar, thresholds (config file only). */
    metrics: z.preprocess((v) => v ?? {}, metricsConfigSchema),
    /** The QA sampling controller: rates, switching rules, windows (config file only; docs/sampling.md). */
    sampling: z.preprocess((v) => v ?? {}, samplingConfigSchema),
    /** The governance review: reviewer ids, case links (docs/review.md; config file only). */
    review: reviewConfigSchema.prefault({}),
    /** Dataset export: per-workflow system prompts and answers, split and pseudonym keys (docs/datasets.md). */
    datasets: z.preprocess((v) => v ?? {}, datasetsConfigSchema),
  })
  .strict()
  .refine((c) => c.store !== 'clickhouse' || c.clickhouseUrl !== undefined, {
    path: ['clickhouseUrl'],
    message: 'required when store is clickhouse',
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** LOOPWATCH_* variables and the setting each one sets. */
const ENV_KEYS: Record<string, keyof Config> = {
  LOOPWATCH_STORE: 'store',
  LOOPWATCH_CLICKHOUSE_URL: 'clickhouseUrl',
  LOOPWATCH_CLICKHOUSE_DATABASE: 'clickhouseDatabase',
  LOOPWATCH_CLICKHOUSE_TTL_DAYS: 'clickhouseTtlDays',
  LOOPWATCH_CLICKHOUSE_CLUSTER: 'clickhouseCluster',
  LOOPWATCH_CLICKHOUSE_ASYNC_INSERT: 'clickhouseAsyncInsert',
  LOOPWATCH_DB: 'db',
  LOOPWATCH_DUCKDB_MEMORY_LIMIT: 'duckdbMemoryLimit',
  LOOPWATCH_HOST: 'host',
  LOOPWATCH_PORT: 'port',
  LOOPWATCH_BODY_LIMIT: 'bodyLimit',
  LOOPWATCH_MAX_ROWS_PER_WRITE: 'maxRowsPerWrite',
  LOOPWATCH_INGEST_WORKERS: 'ingestWorkers',
  LOOPWATCH_INGEST_QUEUE_LIMIT: 'ingestQueueLimit',
  LOOPWATCH_LOG_LEVEL: 'logLevel',
  LOOPWATCH_LOG_FORMAT: 'logFormat',
  LOOPWATCH_SHUTDOWN_GRACE_SECONDS: 'shutdownGraceSeconds',
  LOOPWATCH_AUTH: 'auth',
  LOOPWATCH_TOKENS_FILE: 'tokensFile',
  LOOPWATCH_ALLOW_UNAUTHENTICATED: 'allowUnauthenticated',
  LOOPWATCH_OPEN_METRICS: 'openMetrics',
};

/** Settings the CLI also takes as a flag; an error names the flag only where one exists. */
const FLAG_KEYS: ReadonlySet<keyof Config> = new Set(['store', 'db', 'clickhouseUrl', 'host', 'port', 'ingestWorkers', 'logLevel', 'logFormat', 'auth', 'tokensFile', 'allowUnauthenticated']);

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file; LOOPWATCH_CONFIG when absent. */
  file?: string;
  /** Values from command-line flags (undefined entries are ignored). */
  flags?: Partial<Record<keyof Config, unknown>>;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const merged: Record<string, unknown> = {};
  const filePath = sources.file ?? env.LOOPWATCH_CONFIG;
  if (filePath) Object.assign(merged, readConfigFile(filePath));
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    if (env[name] !== undefined && env[name] !== '') merged[key] = env[name];
  }
  for (const [key, spec] of Object.entries(LIMIT_SPECS)) {
    const value = env[spec.env];
    if (value === undefined || value === '') continue;
    merged.limits = { ...(merged.limits as Record<string, unknown> | undefined), [key]: value };
  }
  if (env.LOOPWATCH_REASON_CODES) {
    merged.reasonCodes = { extra: env.LOOPWATCH_REASON_CODES.split(',').map((s) => s.trim()).filter(Boolean) };
  }
  // a secret is better kept out of the config file: the environment may carry it
  if (env.LOOPWATCH_DATASET_PSEUDONYM_KEY) {
    merged.datasets = { ...(merged.datasets as Record<string, unknown> | undefined), pseudonymKey: env.LOOPWATCH_DATASET_PSEUDONYM_KEY };
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  const parsed = configSchema.safeParse(merged, { error: explainIssue });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = i.path.join('.') || '(config)';
        const envName =
          i.path[0] === 'limits'
            ? LIMIT_SPECS[i.path[1] as keyof EventLimits]?.env
            : Object.entries(ENV_KEYS).find(([, k]) => k === i.path[0])?.[0];
        const flag = FLAG_KEYS.has(i.path[0] as keyof Config) ? `flag --${kebab(key)}, ` : '';
        const where = envName ? ` (${flag}env ${envName})` : '';
        return `${key}${where}: ${i.message}`;
      }),
    );
  }
  return parsed.data;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`config file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`]);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value;
  } catch (err) {
    throw new ConfigError([`config file ${path}: not a JSON object (${(err as Error).message})`]);
  }
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
