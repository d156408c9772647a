import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { decodedRows as clickhouseRows } from '../../../src/store/clickhouse/rows.js';
import { decodedRows as duckdbRows } from '../../../src/store/duckdb/rows.js';

// Each engine's decoder on the shapes its driver hands over, nested ones included: what comes
// out is what the query declarations promise (numbers, plain objects, arrays, Date).
describe('DuckDB rows', () => {
  it('decodes bigints, MAPs and nested values by column type', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const result = await c.runAndReadAll(`SELECT
        3::BIGINT AS n, 2::HUGEINT AS h, 7::UTINYINT AS u, NULL::BIGINT AS none,
        MAP {1::UTINYINT: 2::UBIGINT, 3: 4} AS by_level,
        [MAP {'a': 5::BIGINT}, NULL] AS maps,
        [{'label': 'x', 'n': 6::BIGINT}] AS pattern,
        [1.5, NULL]::DOUBLE[] AS quantiles,
        TIMESTAMP '2026-01-02 03:04:05.678' AS t`);
      expect(duckdbRows(result)).toEqual([
        {
          n: 3,
          h: 2,
          u: 7,
          none: null,
          by_level: { '1': 2, '3': 4 },
          maps: [{ a: 5 }, null],
          pattern: [{ label: 'x', n: 6 }],
          quantiles: [1.5, null],
          t: new Date('2026-01-02T03:04:05.678Z'),
        },
      ]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});

describe('ClickHouse rows', () => {
  it('decodes times, quoted 64-bit integers and key/value pairs by column type', () => {
    const meta = [
      { name: 't', type: "Nullable(DateTime64(3, 'UTC'))" },
      { name: 'n', type: 'UInt64' },
      { name: 'by_level', type: 'Array(Tuple(key UInt8, value UInt64))' },
      { name: 'times', type: "Array(DateTime64(3, 'UTC'))" },
      { name: 's', type: 'LowCardinality(String)' },
    ];
    const data = [{ t: '2026-01-02T03:04:05.678Z', n: '12', by_level: [{ key: 1, value: '2' }], times: ['2026-01-02T00:00:00.000Z'], s: '42' }];
    expect(clickhouseRows(meta, data)).toEqual([
      { t: new Date('2026-01-02T03:04:05.678Z'), n: 12, by_level: { '1': 2 }, times: [new Date('2026-01-02T00:00:00.000Z')], s: '42' },
    ]);
  });
});
