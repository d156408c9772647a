import { existsSync } from 'node:fs';
import { bearerHeaders } from '../auth/client.js';
import type { Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import type { Config } from '../config/config.js';
import { cutsSchema } from '../metrics/cuts.js';
import { DEFAULT_WIDTH, MIN_WIDTH, renderReport } from '../metrics/report.js';
import { FAMILIES, findFamily } from '../metrics/registry.js';
import { MetricsRunner, type MetricsSnapshot } from '../metrics/runner.js';
import type { Logger } from 'pino';
import { openStore } from '../store/open-store.js';
import { explainIssue } from '../events/messages.js';
import { serverUrl, unreachable } from './errors.js';
import { configFrom, withStoreOptions } from './options.js';

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
  const families = (flags.family ?? []).map((name) => {
    const f = findFamily(name);
    if (!f) throw new LoopwatchError('bad_flag', `--family: no family ${JSON.stringify(name)}; known: ${FAMILIES.map((x) => x.name).join(', ')}`);
    return f;
  });
  const width = reportWidth(flags.width);
  let snapshot: MetricsSnapshot;
  if (flags.url) {
    const path = families.length === 1 ? `/v1/metrics/${families[0].name}` : '/v1/metrics';
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
    // a report reads what is there: a missing file is a wrong path, not a new empty database
    if (config.store === 'duckdb' && config.db !== ':memory:' && !existsSync(config.db)) {
      throw new LoopwatchError('db_not_found', `no database at ${config.db}: check --db (or LOOPWATCH_DB), or ask a running server with --url`);
    }
    const store = await openStore(config);
    try {
      const runner = new MetricsRunner({ store, families: FAMILIES, config: config.metrics, logger: SILENT });
      snapshot = await runner.compute(parsed.data, { refresh: true, families: families.length ? families : FAMILIES });
    } finally {
      await store.close();
    }
  }
  process.stdout.write(flags.json ? `${JSON.stringify(snapshot, null, 2)}\n` : renderReport(snapshot, { color: process.stdout.isTTY, width }));
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
