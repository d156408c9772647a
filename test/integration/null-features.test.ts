import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Field, Float64, Int8, Map_, RecordBatchFileWriter, Struct, Table, TimestampMillisecond, Utf8, vectorFromArray, type DataType,
} from 'apache-arrow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENT_COLUMNS } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { EventWriter } from '../../src/ingest/event-writer.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import type { CategoricalChecks } from '../../src/metrics/families/drift-checks.js';
import { driftFamily, type DriftMetrics } from '../../src/metrics/families/drift.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore, openTestStore, rawClient, tempDir } from '../helpers/stores.js';

// Issue 11: a null feature value (a missing value) used to reject the whole case.created from
// NDJSON, JSON, CSV and Arrow maps while Parquet accepted it. One contract for every format:
// accepted, stored alike, and skipped by drift rather than counted as a category "null".

const NOW = Date.UTC(2026, 10, 24, 12);
const HOUR = 3_600_000;
const FORMATS = ['ndjson', 'json', 'csv', 'parquet', 'arrow'] as const;
type Format = (typeof FORMATS)[number];

/** The same case.created for every format; only the ids tell them apart. */
function created(id: string, at: number, department: string | null): Record<string, unknown> {
  return {
    event_id: `ev-${id}`, type: 'case.created', ts: new Date(at).toISOString(), case_id: `case-${id}`, workflow: 'support_drafting',
    tier: 2, model_version: 'm1', confidence: 0.75, features: { department, language: 'en' },
  };
}
const CURRENT_AT = NOW - 2 * HOUR;

async function writeFiles(dir: string): Promise<Record<Format, string>> {
  const file = (f: Format) => path.join(dir, `null-feature.${f === 'arrow' ? 'arrow' : f}`);
  const ev = (f: Format) => created(f, CURRENT_AT, null);
  writeFileSync(file('ndjson'), `${JSON.stringify(ev('ndjson'))}\n`);
  writeFileSync(file('json'), JSON.stringify([ev('json')]));
  // CSV: the features cell is JSON text, as users are told to write it
  const csv = ev('csv');
  const cells = Object.values(csv).map((v) => (typeof v === 'object' ? `"${JSON.stringify(v).replaceAll('"', '""')}"` : String(v)));
  writeFileSync(file('csv'), `${Object.keys(csv).join(',')}\n${cells.join(',')}\n`);
  // Parquet as a DuckDB user writes it from the NDJSON
  const source = path.join(dir, 'parquet-source.ndjson');
  writeFileSync(source, `${JSON.stringify(ev('parquet'))}\n`);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`COPY (SELECT * FROM read_json($src, format = 'newline_delimited')) TO '${file('parquet')}' (FORMAT parquet)`, { src: source });
  db.closeSync();
  instance.closeSync();
  // Arrow: features as a map of strings whose value for department is a null
  const a = ev('arrow');
  const utf8 = new Utf8();
  const types: Record<string, DataType> = {
    event_id: utf8, type: utf8, ts: new TimestampMillisecond('UTC'), case_id: utf8, workflow: utf8, tier: new Int8(), model_version: utf8,
    confidence: new Float64(),
    features: new Map_(new Field('entries', new Struct<any>([new Field('key', utf8, false), new Field('value', utf8, true)]), false)),
  };
  const value = (name: string) => (name === 'ts' ? new Date(a.ts as string) : name === 'features' ? new Map(Object.entries(a.features as object)) : a[name]);
  const table = new Table(Object.fromEntries(Object.entries(types).map(([name, type]) => [name, vectorFromArray([value(name)], type)])));
  const writer = new RecordBatchFileWriter();
  writer.write(table);
  writer.finish();
  writeFileSync(file('arrow'), writer.toUint8Array(true));
  return Object.fromEntries(FORMATS.map((f) => [f, file(f)])) as Record<Format, string>;
}

/** Stored rows by event_id, timestamps as epoch ms, lists as [] (ClickHouse has no NULL list). */
async function storedRows(store: Store, dbFile: string | undefined): Promise<Map<string, Record<string, unknown>>> {
  const list = EVENT_COLUMNS.map(([c, kind]) =>
    kind === 'timestamp' ? (store.engine === 'duckdb' ? `epoch_ms("${c}") AS "${c}"` : `toUnixTimestamp64Milli(${c}) AS ${c}`) : `"${c}"`,
  ).join(', ');
  let rows: Record<string, unknown>[];
  if (store.engine === 'duckdb') {
    await store.close();
    const instance = await DuckDBInstance.create(dbFile!, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    rows = (await conn.runAndReadAll(`SELECT ${list} FROM events`)).getRowObjectsJS() as Record<string, unknown>[];
    conn.closeSync();
    instance.closeSync();
  } else {
    const ch = store as ClickHouseStore;
    const rs = await rawClient(ch).query({ query: `SELECT ${list} FROM ${ch.database}.events FINAL`, format: 'JSONEachRow' });
    rows = await rs.json<Record<string, unknown>>();
  }
  const canonical = (row: Record<string, unknown>) =>
    Object.fromEntries(EVENT_COLUMNS.map(([c, kind]) => [c, kind === 'varchar_list' ? (row[c] ?? []) : typeof row[c] === 'bigint' ? Number(row[c]) : row[c]]));
  return new Map(rows.map((r) => [String(r.event_id), canonical(r)]));
}

forEachStore((kind) => {
  const tmp = tempDir('loopwatch-null-features-');
  let store: Store;
  let summaries: Awaited<ReturnType<typeof ingestFiles>>;
  let drift: DriftMetrics;
  let rows: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    const files = await writeFiles(tmp.dir);
    // reference cases (the 7 days before the current day) and two more current ones, one of
    // them with a missing department too
    const others = [
      created('r1', NOW - 3 * 24 * HOUR, 'sales'), created('r2', NOW - 3 * 24 * HOUR + HOUR, 'ops'),
      created('r3', NOW - 2 * 24 * HOUR, 'sales'), created('r4', NOW - 2 * 24 * HOUR + HOUR, null),
      created('c1', NOW - 5 * HOUR, 'sales'), created('c2', NOW - 4 * HOUR, 'ops'), created('c3', NOW - 3 * HOUR, null),
    ];
    const othersFile = path.join(tmp.dir, 'others.ndjson');
    writeFileSync(othersFile, others.map((e) => JSON.stringify(e)).join('\n'));
    store = await openTestStore(kind, tmp.dir);
    const writer = new EventWriter(store);
    summaries = await ingestFiles([...FORMATS.map((f) => files[f]), othersFile], { validate: createValidator(), writer, now: () => NOW });
    // a JSON null already in the store (written by something other than the validator, which
    // now leaves it out): the derived case_features must skip it as well
    const raw = createValidator()(created('raw', NOW - HOUR, 'x'), 0, NOW);
    if (!raw.ok) throw new Error(raw.rejected.reason);
    await store.insertEvents([{ ...raw.row, features: '{"department":null,"language":"en"}' }]);
    await store.refreshDerived();
    const result = await driftFamily.compute({ store, cuts: cutsSchema.parse({}), config: defaultMetricsConfig(), now: new Date(NOW) });
    drift = result.groups.find((g) => g.key.workflow === 'support_drafting')!.metrics as DriftMetrics;
    const dbFile = kind === 'duckdb' ? readdirSync(tmp.dir).find((f) => f.endsWith('.duckdb')) : undefined;
    rows = await storedRows(store, dbFile && path.join(tmp.dir, dbFile));
  }, 120_000);

  afterAll(async () => {
    if (kind !== 'duckdb') await store?.close();
    tmp.cleanup();
  });

  it('accepts the event with a null feature from every format', () => {
    expect(summaries.map((s) => [s.format, s.accepted, s.rejected, s.errors.map((e) => e.reason)])).toEqual([
      ...FORMATS.map((f) => [f, 1, 0, []]),
      ['ndjson', 7, 0, []],
    ]);
  });

  it('stores it alike from every format: the missing value is left out of features', () => {
    const { event_id: _, case_id: __, ...ndjson } = rows.get('ev-ndjson')!;
    expect(JSON.parse(ndjson.features as string)).toEqual({ language: 'en' });
    for (const f of FORMATS) {
      const { event_id, case_id, ...rest } = rows.get(`ev-${f}`)!;
      expect([event_id, case_id]).toEqual([`ev-${f}`, `case-${f}`]);
      expect(rest, f).toEqual(ndjson);
    }
  });

  it('drift skips the missing value: department counts only sales and ops', () => {
    const department = drift.features.department as CategoricalChecks;
    // reference: sales, ops, sales (r4 missing); current: sales, ops (c3, the five files and the
    // raw row missing). A "null" category would make these 4 and 9, with 2 degrees of freedom.
    expect([department.chi_square.n_ref, department.chi_square.n_cur]).toEqual([3, 2]);
    expect(department.chi_square.dof).toBe(1);
    const language = drift.features.language as CategoricalChecks;
    expect([language.chi_square.n_ref, language.chi_square.n_cur]).toEqual([4, 9]);
  });
});
