import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

/** The official plugin's id (grafana/clickhouse-datasource). */
export const CLICKHOUSE_PLUGIN = 'grafana-clickhouse-datasource';
export const CLICKHOUSE: DataSourceRef = { type: CLICKHOUSE_PLUGIN, uid: '${datasource}' };

/**
 * The plugin's result formats (sqlds FormatQueryOption): a time series frame (long rows of
 * time, labels and values are turned wide by the plugin) or a table.
 */
export const FORMAT = { timeSeries: 0, table: 1 } as const;

/**
 * A query of the SQL editor, as the plugin stores it (src/types/sql.ts CHSqlQuery: editorType
 * 'sql', rawSql, format). The foundation SDK has no ClickHouse builder, so this is its own,
 * following the SDK's README ("Defining a custom query type").
 */
export interface ClickHouseQuery {
  refId?: string;
  hide?: boolean;
  datasource: DataSourceRef;
  editorType: 'sql';
  rawSql: string;
  format: number;
  _implementsDataqueryVariant(): void;
}

export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private readonly internal: ClickHouseQuery;

  constructor(rawSql: string, format: number) {
    this.internal = { datasource: CLICKHOUSE, editorType: 'sql', rawSql, format, _implementsDataqueryVariant() {} };
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  build(): ClickHouseQuery {
    return this.internal;
  }
}
