import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LIMIT_SPECS } from '../../src/events/limits.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c).toMatchObject({ db: './data/loopwatch.duckdb', host: '127.0.0.1', port: 8080, store: 'duckdb', bodyLimit: '64mb' });
    expect(c.reasonCodes.extra).toEqual([]);
  });

  it('layers file < env < flags', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lw-config-'));
    const file = path.join(dir, 'loopwatch.json');
    writeFileSync(file, JSON.stringify({ port: 9000, db: '/from/file.duckdb', logLevel: 'debug', reasonCodes: { extra: ['vendor_unverified'] } }));
    const c = loadConfig({ env: { LOOPWATCH_CONFIG: file, LOOPWATCH_PORT: '9100' }, flags: { db: '/from/flag.duckdb', logLevel: undefined } });
    expect(c.port).toBe(9100);
    expect(c.db).toBe('/from/flag.duckdb');
    expect(c.logLevel).toBe('debug');
    expect(c.reasonCodes.extra).toEqual(['vendor_unverified']);
  });

  it('takes the HTTP ingest worker count from env or flag, unset meaning one per core', () => {
    expect(loadConfig({ env: {} }).ingestWorkers).toBeUndefined();
    expect(loadConfig({ env: { LOOPWATCH_INGEST_WORKERS: '0' } }).ingestWorkers).toBe(0);
    expect(loadConfig({ env: { LOOPWATCH_INGEST_WORKERS: '0' }, flags: { ingestWorkers: '3' } }).ingestWorkers).toBe(3);
    expect(configError(() => loadConfig({ env: { LOOPWATCH_INGEST_WORKERS: '-1' } })).problems).toEqual([
      'ingestWorkers (flag --ingest-workers, env LOOPWATCH_INGEST_WORKERS): expected a number of at least 0, got -1',
    ]);
  });

  it('reads extra reason codes from the environment', () => {
    expect(loadConfig({ env: { LOOPWATCH_REASON_CODES: 'a_code, b_code' } }).reasonCodes.extra).toEqual(['a_code', 'b_code']);
  });

  it('names every bad value with its flag and variable', () => {
    const err = configError(() => loadConfig({ env: { LOOPWATCH_PORT: 'eighty', LOOPWATCH_LOG_LEVEL: 'loud', LOOPWATCH_DUCKDB_MEMORY_LIMIT: 'lots' } }));
    expect(err.problems).toHaveLength(3);
    expect(err.message).toMatch(/port \(flag --port, env LOOPWATCH_PORT\)/);
    expect(err.message).toMatch(/logLevel \(flag --log-level, env LOOPWATCH_LOG_LEVEL\)/);
    expect(err.message).toMatch(/duckdbMemoryLimit .*expected a size such as 512MB/);
  });

  it('says what was expected for each bad value, never zod\'s "Invalid input"', () => {
    const err = configError(() =>
      loadConfig({ env: { LOOPWATCH_PORT: 'eighty', LOOPWATCH_LOG_LEVEL: 'loud', LOOPWATCH_MAX_ROWS_PER_WRITE: '0' } }),
    );
    expect(err.problems).toEqual([
      'port (flag --port, env LOOPWATCH_PORT): expected a number, got a value that is not a number',
      'maxRowsPerWrite (env LOOPWATCH_MAX_ROWS_PER_WRITE): expected a number of at least 1, got 0',
      'logLevel (flag --log-level, env LOOPWATCH_LOG_LEVEL): "loud" is not allowed; expected one of fatal, error, warn, info, debug, trace, silent',
    ]);
    // a union names each of its forms
    expect(configError(() => loadConfig({ env: { LOOPWATCH_CLICKHOUSE_ASYNC_INSERT: 'maybe' } })).problems[0]).toMatch(
      /: expected true or false or one of true, 1, yes, .*, got the string "maybe"$/,
    );
  });

  it('takes every event limit from the environment or the file, defaults from LIMIT_SPECS', () => {
    const defaults = loadConfig({ env: {} }).limits;
    expect(defaults).toEqual(Object.fromEntries(Object.entries(LIMIT_SPECS).map(([k, spec]) => [k, spec.default])));
    const config = loadConfig({ env: { LOOPWATCH_MAX_DEPTH: '8', LOOPWATCH_TS_MAX_AHEAD_MS: '3600000' } });
    expect(config.limits).toMatchObject({ maxDepth: 8, tsMaxAheadMs: 3_600_000, maxFeatures: LIMIT_SPECS.maxFeatures.default });
    const err = configError(() => loadConfig({ env: { LOOPWATCH_MAX_DEPTH: '-1' } }));
    expect(err.problems).toEqual(['limits.maxDepth (env LOOPWATCH_MAX_DEPTH): expected a number of at least 0, got -1']);
  });

  it('refuses unknown keys in the config file and unreadable files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lw-config-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ prot: 8080 }));
    expect(configError(() => loadConfig({ env: {}, file })).message).toMatch(/prot/);
    expect(configError(() => loadConfig({ env: {}, file: path.join(dir, 'missing.json') })).message).toMatch(/cannot be read \(ENOENT\)/);
    writeFileSync(file, '{ not json');
    expect(configError(() => loadConfig({ env: {}, file })).message).toMatch(/not a JSON object/);
  });

  it('refuses reason codes that are not snake_case', () => {
    expect(configError(() => loadConfig({ env: { LOOPWATCH_REASON_CODES: 'Bad Code' } })).message).toMatch(/snake_case/);
  });

  it('needs a ClickHouse URL for the clickhouse store and parses its switches', () => {
    expect(configError(() => loadConfig({ env: { LOOPWATCH_STORE: 'clickhouse' } })).message).toMatch(/clickhouseUrl \(flag --clickhouse-url, env LOOPWATCH_CLICKHOUSE_URL\): required when store is clickhouse/);
    const c = loadConfig({
      env: { LOOPWATCH_STORE: 'clickhouse', LOOPWATCH_CLICKHOUSE_URL: 'http://127.0.0.1:8123', LOOPWATCH_CLICKHOUSE_ASYNC_INSERT: 'false', LOOPWATCH_CLICKHOUSE_TTL_DAYS: '400' },
    });
    expect(c).toMatchObject({ store: 'clickhouse', clickhouseAsyncInsert: false, clickhouseTtlDays: 400, clickhouseDatabase: 'loopwatch' });
    expect(loadConfig({ env: { LOOPWATCH_CLICKHOUSE_ASYNC_INSERT: 'true' } }).clickhouseAsyncInsert).toBe(true);
    expect(configError(() => loadConfig({ env: { LOOPWATCH_CLICKHOUSE_URL: 'ftp://x' } })).message).toMatch(/expected http\(s\):\/\/host:8123 or chdb:\/path/);
    expect(configError(() => loadConfig({ env: { LOOPWATCH_CLICKHOUSE_DATABASE: 'drop table' } })).message).toMatch(/clickhouseDatabase/);
  });
});
