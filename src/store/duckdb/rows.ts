import { DuckDBTypeId, type DuckDBResultReader, type DuckDBType } from './node-api.js';

type Decode = (v: unknown) => unknown;

/**
 * Query rows in the shapes the query declarations promise (src/store/query-rows.ts), decoded
 * here once for DuckDB so that nothing above the store sees its quirks: 64-bit integers arrive
 * as bigint (JSON has none), a MAP as a list of {key, value} entries. Each column is decoded by
 * its declared type, nested values included; times are already Date.
 */
export function decodedRows(result: DuckDBResultReader): Record<string, unknown>[] {
  const names = result.columnNames();
  const decoders = result.columnTypes().map(decoderFor);
  const rows = result.getRowObjectsJS() as Record<string, unknown>[];
  for (const row of rows) {
    for (let i = 0; i < names.length; i++) {
      const v = row[names[i]];
      if (v !== null && v !== undefined) row[names[i]] = decoders[i](v);
    }
  }
  return rows;
}

const same: Decode = (v) => v;
const toNumber: Decode = (v) => (typeof v === 'bigint' ? Number(v) : v);
const orNull = (decode: Decode): Decode => (v) => (v === null || v === undefined ? v : decode(v));

function decoderFor(type: DuckDBType): Decode {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return toNumber;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = orNull(decoderFor(type.valueType));
      return item === same ? same : (v) => (v as unknown[]).map(item);
    }
    case DuckDBTypeId.MAP: {
      // keys are text as in a JSON object (ClickHouse sends a Map(UInt8, ...) with "1" keys too)
      const value = orNull(decoderFor(type.valueType));
      return (v) => Object.fromEntries((v as { key: unknown; value: unknown }[]).map((e) => [String(e.key), value(e.value)]));
    }
    case DuckDBTypeId.STRUCT: {
      const fields = type.entryNames.map((name, i) => [name, orNull(decoderFor(type.entryTypes[i]))] as const);
      return (v) => {
        const o = v as Record<string, unknown>;
        for (const [name, decode] of fields) o[name] = decode(o[name]);
        return o;
      };
    }
    default:
      return same;
  }
}
