import { existsSync } from 'node:fs';
import { bearerHeaders } from '../auth/client.js';
import type { Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import type { Config } from '../config/config.js';
import { cutsSchema, type Cuts } from '../metrics/cuts.js';
import { DEFAULT_WIDTH, MIN_WIDTH, renderReport } from '../metrics/report.js';
import type { MetricFamily } from '../metrics/family.js';
import type { MetricsSnapshot } from '../metrics/runner.js';
import type { Logger } from 'pino';
import type { DerivedRefresh, Store } from '../store/store.js';
import { explainIssue } from '../events/messages.js';
import { serverUrl, unreachable } from './errors.js';
import { configFrom, withStoreOptions } from './options.js';

// The store (DuckDB's bindings), the metric families and the runner are imported when the
// report needs them, not with the command: the store is opened and its derived tables
// refreshed (on DuckDB's threads, or by the ClickHouse server) while this thread still loads
// the families (reportFromStore).

/** `loopwatch report`: the metrics as a table (or JSON), from the database or a running server. */
export function reportCommand(program: Command): void {
  withStoreOptions(program.command('report'))
    .description('print the governance metrics: quality, queues and SLAs, reviewers, controls')
    .option('--url <url>', 'ask a running Loopwatch server instead of opening the database')
    .option('--json', 'print the JSON that GET /v1/metrics answers')
    .option('--width <columns>', "fit the report to this width (default: the terminal's, or 100 when not a terminal)")
    .option('--family <name...>', 'only these metric families')
    .option('--workflow <name>')
    .option('--tier <n>')
    .option('--lane <lane>')
    .option('--model-version <v>')
    .option('--policy-version <v>')
    .option('--reviewer <id>')
    .option('--from <time>', 'window start, RFC 3339')
    .option('--to <time>', 'window end (exclusive), RFC 3339')
    .option('--bucket <hour|day|week>')
    .option('--group-by <dims>', 'comma-separated: workflow,tier,lane,model_version,policy_version,reviewer ("" for one total)', 'workflow')
    .action(async (opts) => {
      await runReportCommand(opts, configFrom(opts));
    });
}

export interface ReportFlags {
  url?: string;
  json?: boolean;
  family?: string[];
  workflow?: string;
  tier?: string;
  lane?: string;
  modelVersion?: string;
  policyVersion?: string;
  reviewer?: string;
  from?: string;
  to?: string;
  bucket?: string;
  groupBy?: string;
  width?: string;
}

/** The cut flags as the same query parameters the HTTP routes take. */
function cutQuery(flags: ReportFlags): Record<string, string> {
  const q: Record<string, string | undefined> = {
    workflow: flags.workflow,
    tier: flags.tier,
    lane: flags.lane,
    model_version: flags.modelVersion,
    policy_version: flags.policyVersion,
    reviewer: flags.reviewer,
    from: flags.from,
    to: flags.to,
    bucket: flags.bucket,
    group_by: flags.groupBy ?? 'workflow',
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/**
 * Prints the metric report. With --url it asks a running server (the usual case: DuckDB lets one
 * process hold the file); without, it opens the database itself.
 */
export async function runReportCommand(flags: ReportFlags, config: Config): Promise<void> {
  const query = cutQuery(flags);
  const parsed = cutsSchema.safeParse(query, { error: explainIssue });
  if (!parsed.success) {
    throw new LoopwatchError('bad_flag', `invalid cut: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const width = reportWidth(flags.width);
  // names checked before anything is opened; no --family: every family, loaded beside the store
  const families = flags.family?.length ? await familiesNamed(flags.family) : undefined;
  let snapshot: MetricsSnapshot;
  if (flags.url) {
    const path = families?.length === 1 ? `/v1/metrics/${families[0].name}` : '/v1/metrics';
    const url = new URL(path, serverUrl(flags.url));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let res: Response;
    let body: MetricsSnapshot & { error?: { message: string } };
    try {
      res = await fetch(url, { headers: bearerHeaders() });
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw unreachable(flags.url, err);
    }
    if (!res.ok) throw new LoopwatchError('server_error', `${url}: ${res.status} ${body.error?.message ?? ''}`);
    snapshot = body;
  } else {
    snapshot = await reportFromStore(config, parsed.data, families);
  }
  process.stdout.write(flags.json ? `${JSON.stringify(snapshot, null, 2)}\n` : renderReport(snapshot, { color: process.stdout.isTTY, width }));
}

async function familiesNamed(names: readonly string[]): Promise<MetricFamily[]> {
  const { FAMILIES, findFamily } = await import('../metrics/registry.js');
  return names.map((name) => {
    const f = findFamily(name);
    if (!f) throw new LoopwatchError('bad_flag', `--family: no family ${JSON.stringify(name)}; known: ${FAMILIES.map((x) => x.name).join(', ')}`);
    return f;
  });
}

/**
 * The report computed from the database. Opening the store, migrating it and refreshing its
 * derived tables run beside the import of the metric modules: the engine works on its own
 * threads (or server) while this one loads the families, so the start costs the longer of the
 * two instead of their sum. The runner takes the refresh under way (RefreshUnderWay) and counts
 * the snapshot's times from its start, as it would had it started it.
 */
async function reportFromStore(config: Config, cuts: Cuts, only: readonly MetricFamily[] | undefined): Promise<MetricsSnapshot> {
  // a report reads what is there: a missing file is a wrong path, not a new empty database
  if (config.store === 'duckdb' && config.db !== ':memory:' && !existsSync(config.db)) {
    throw new LoopwatchError('db_not_found', `no database at ${config.db}: check --db (or LOOPWATCH_DB), or ask a running server with --url`);
  }
  const storeModule = import('../store/open-store.js');
  const opened = storeModule.then(({ openStore }) => openStore(config));
  const refresh = opened.then((store) => timedRefresh(store));
  // after the store's modules, so that the open starts first: both load on this one thread
  const modules = storeModule.then(() => Promise.all([import('../metrics/registry.js'), import('../metrics/runner.js')]));
  // each is awaited below; until then a failure must not count as unhandled
  for (const p of [refresh, modules]) p.catch(() => undefined);
  let store: Store;
  try {
    store = await opened;
  } catch (err) {
    await modules.catch(() => undefined);
    throw err;
  }
  try {
    const [{ FAMILIES }, { MetricsRunner }] = await modules;
    const runner = new MetricsRunner({ store, families: FAMILIES, config: config.metrics, logger: SILENT });
    return await runner.compute(cuts, { refresh, families: only ?? FAMILIES });
  } finally {
    await refresh.catch(() => undefined);
    await store.close();
  }
}

async function timedRefresh(store: Store): Promise<{ result: DerivedRefresh; started: number }> {
  const started = performance.now();
  return { result: await store.refreshDerived(), started };
}

/**
 * The one-shot report logs nothing (the runner logs only scheduled runs): a stand-in for a
 * silent pino logger, whose module load and exit-time flush of stderr (an fsync) cost ~100 ms
 * of a report's whole-process time.
 */
const SILENT: Logger = new Proxy({} as Logger, {
  get: (_target, prop) => (prop === 'level' ? 'silent' : prop === 'child' ? () => SILENT : () => undefined),
});

/** --width, else the terminal's width, else (a pipe or a file) DEFAULT_WIDTH. */
function reportWidth(flag: string | undefined): number {
  if (flag === undefined) return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : DEFAULT_WIDTH;
  const n = Number(flag);
  if (!Number.isInteger(n) || n < MIN_WIDTH) throw new LoopwatchError('bad_flag', `--width: expected a whole number of columns, at least ${MIN_WIDTH}; got ${JSON.stringify(flag)}`);
  return n;
}
