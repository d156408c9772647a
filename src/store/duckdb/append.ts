import { LIST, VARCHAR, type DuckDBAppender, type DuckDBConnection } from './node-api.js';
import { EVENT_COLUMNS, type ColumnKind, type EventRow } from '../../events/row.js';
import { defaultEventSchemas } from '../../events/schemas.js';

const VARCHAR_LIST = LIST(VARCHAR);

// Staging types: timestamps travel as epoch milliseconds in a DOUBLE (exact below 2^53) and
// the INSERT ... SELECT turns them into TIMESTAMPs: a plain number per row, where a timestamp
// value would cost a BigInt and an object.
const STAGING_SQL_TYPE: Record<ColumnKind, string> = {
  varchar: 'VARCHAR',
  json: 'VARCHAR',
  varchar_list: 'VARCHAR[]',
  double: 'DOUBLE',
  tinyint: 'UTINYINT',
  boolean: 'BOOLEAN',
  timestamp: 'DOUBLE',
};

/** Columns every event may fill, whatever its type. */
const ALWAYS = new Set(['event_id', 'type', 'ts', 'received_at', 'attrs']);
/** Contract fields stored under other column names. */
const FIELD_COLUMNS: Readonly<Record<string, readonly string[]>> = { gate: ['gate_id', 'gate_checks'] };

interface StagingTable {
  name: string;
  /** Indexes into EVENT_COLUMNS, in the table's column order (after `n`, the row's place in the batch). */
  columns: number[];
}

/**
 * The appender costs one native call per value, a NULL included, and an event fills about 14 of
 * the 38 columns: each type is staged in a table of only the columns its contract names, which
 * cuts the calls by more than half. `wide` (every column) takes a row of a type without a table
 * of its own or with a value outside its type's columns, so nothing depends on this list being
 * complete. `n` keeps the batch's order, which the INSERT restores (rowids follow it).
 */
export class Staging {
  readonly wide: StagingTable;
  private readonly byType = new Map<string, StagingTable>();
  private readonly used = new Set<StagingTable>();

  constructor(private readonly prefix: string) {
    this.wide = { name: prefix, columns: EVENT_COLUMNS.map((_, i) => i) };
    for (const [type, schema] of Object.entries(defaultEventSchemas)) {
      const names = new Set(ALWAYS);
      for (const field of Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape)) {
        for (const column of FIELD_COLUMNS[field] ?? [field]) names.add(column);
      }
      const columns = EVENT_COLUMNS.flatMap(([col], i) => (names.has(col) ? [i] : []));
      this.byType.set(type, { name: `${prefix}_${type.replace(/\W/g, '_')}`, columns });
    }
  }

  ddl(): string {
    return [this.wide, ...this.byType.values()]
      .map((t) => {
        const cols = t.columns.map((i) => `"${EVENT_COLUMNS[i][0]}" ${STAGING_SQL_TYPE[EVENT_COLUMNS[i][1]]}`);
        return `CREATE TEMP TABLE IF NOT EXISTS ${t.name} (n UINTEGER, ${cols.join(', ')});`;
      })
      .join('\n');
  }

  /** Empties what the last batch staged, then appends `rows`. */
  async stage(c: DuckDBConnection, rows: readonly EventRow[]): Promise<void> {
    if (this.used.size > 0) await c.run([...this.used].map((t) => `DELETE FROM ${t.name};`).join('\n'));
    this.used.clear();
    const groups = new Map<StagingTable, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      let table = this.byType.get(row.type);
      if (table === undefined || !fits(row, table)) table = this.wide;
      let group = groups.get(table);
      if (group === undefined) groups.set(table, (group = []));
      group.push(i);
    }
    for (const [table, positions] of groups) {
      this.used.add(table);
      const appender = await c.createAppender(table.name, 'main', 'temp');
      try {
        appendRows(appender, rows, positions, table.columns);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    }
  }

  /**
   * The staged batch as rows of `events` (same columns and types); `ordered` puts them in the
   * batch's order, which only the INSERT needs (sorting every column costs as much as hashing).
   */
  staged(ordered: boolean): string {
    const tables = [this.wide, ...[...this.used].filter((t) => t !== this.wide)];
    // the wide table names every column, so BY NAME fills each narrow table's missing ones with NULL
    const union = tables.map((t) => `SELECT * FROM ${t.name}`).join(' UNION ALL BY NAME ');
    return `(SELECT ${selectList()} FROM (${union})${ordered ? ' ORDER BY n' : ''})`;
  }
}

/** Whether every value of `row` has a column in `table` (only a new kind of row would not). */
function fits(row: EventRow, table: StagingTable): boolean {
  if (table.columns.length === EVENT_COLUMNS.length) return true;
  let t = 0;
  for (let i = 0; i < EVENT_COLUMNS.length; i++) {
    if (table.columns[t] === i) t++;
    else if (row[EVENT_COLUMNS[i][0]] !== null) return false;
  }
  return true;
}

/** The SELECT list that turns staged rows into `events` rows, converting the staged encodings. */
function selectList(): string {
  return EVENT_COLUMNS.map(([col, kind]) =>
    kind === 'timestamp' ? `make_timestamp(CAST("${col}" * 1000 AS BIGINT)) AS "${col}"` : `"${col}"`,
  ).join(', ');
}

/**
 * Appends the rows at `positions`, value by value, in `columns`. Measured on this API, one
 * native call per value (nulls cost one call and no conversion) is about a third cheaper than
 * filling DuckDBDataChunk vectors, whose per-item bookkeeping and per-string flush dominate.
 */
function appendRows(appender: DuckDBAppender, rows: readonly EventRow[], positions: readonly number[], columns: readonly number[]): void {
  for (const p of positions) {
    const row = rows[p];
    appender.appendUInteger(p);
    for (let c = 0; c < columns.length; c++) {
      const [col, kind] = EVENT_COLUMNS[columns[c]];
      const v = row[col];
      if (v === null) {
        appender.appendNull();
        continue;
      }
      switch (kind) {
        case 'varchar':
        case 'json':
          appender.appendVarchar(v as string);
          break;
        case 'double':
        case 'timestamp':
          appender.appendDouble(v as number);
          break;
        case 'tinyint':
          appender.appendUTinyInt(v as number);
          break;
        case 'boolean':
          appender.appendBoolean(v as boolean);
          break;
        case 'varchar_list':
          appender.appendList(v as string[], VARCHAR_LIST);
          break;
      }
    }
    appender.endRow();
  }
}
