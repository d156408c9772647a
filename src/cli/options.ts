import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';

/** Counts in summaries with thousands separators, as the report prints them. */
export const formatCount = (x: number) => x.toLocaleString('en-US');

/** Options every command that opens the database shares. */
export function withStoreOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON config file (or LOOPWATCH_CONFIG)')
    .option('--db <path>', 'DuckDB file (or LOOPWATCH_DB)', undefined)
    .option('--store <engine>', 'duckdb (embedded, default) or clickhouse (or LOOPWATCH_STORE)')
    .option('--clickhouse-url <url>', 'http(s)://user:pass@host:8123, or chdb:/path (or LOOPWATCH_CLICKHOUSE_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (or LOOPWATCH_LOG_LEVEL)')
    .option('--log-format <format>', 'pretty|json; default pretty when stderr is a terminal (or LOOPWATCH_LOG_FORMAT)');
}

export function configFrom(opts: Record<string, unknown>, extra: Partial<Record<keyof Config, unknown>> = {}): Config {
  return loadConfig({
    env: process.env,
    file: opts.config as string | undefined,
    flags: { db: opts.db, logLevel: opts.logLevel, logFormat: opts.logFormat, store: opts.store, clickhouseUrl: opts.clickhouseUrl, ...extra },
  });
}
