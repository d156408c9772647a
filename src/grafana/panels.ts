import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  ThresholdsConfigBuilder,
  ThresholdsMode,
  MappingType,
  type DataSourceRef,
  type Threshold,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every Prometheus panel reads the dashboard's datasource variable, never a fixed uid. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Grafana units (the unit picker's ids). */
export const UNIT = {
  ratio: 'percentunit',
  seconds: 's',
  count: 'short',
  /** a burn rate: how many times faster than the budget allows */
  times: 'suffix:×',
  dateTime: 'dateTimeAsIso',
} as const;

export interface Query {
  expr: string;
  legend?: string;
  /** A table or stat reads the latest value only. */
  instant?: boolean;
}

/** What every panel shows: id (stable: alert links name it), title, what it means, unit. */
export interface PanelSpec {
  id: number;
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  width?: number;
  height?: number;
  thresholds?: Threshold[];
  min?: number;
  max?: number;
  mappings?: ValueMapping[];
}

const REF_IDS = 'ABCDEFGHIJ';

/** `asTable`: one row per series with its labels as columns (a table panel's shape). */
function targets(queries: Query[], asTable = false): cog.Builder<cog.Dataquery>[] {
  return queries.map((q, i) => {
    const b = new DataqueryBuilder().refId(REF_IDS[i]).expr(q.expr).datasource(PROMETHEUS);
    if (asTable) b.format(PromQueryFormat.Table);
    if (q.legend) b.legendFormat(q.legend);
    if (q.instant) b.instant();
    else b.range();
    return b;
  });
}

/** Green below the first step, then each step's colour from its value up. */
export function thresholds(steps: Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/** Red at and above `limit` (a ceiling objective). */
export const above = (limit: number): Threshold[] => [
  { value: null, color: 'green' },
  { value: limit, color: 'red' },
];

/** Red below `floor` (a floor objective such as SLA compliance). */
export const below = (floor: number): Threshold[] => [
  { value: null, color: 'red' },
  { value: floor, color: 'green' },
];

/** 0/1 flags read as words. */
export function flag(off: string, on: string): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: { '0': { text: off, color: 'green', index: 0 }, '1': { text: on, color: 'red', index: 1 } },
    },
  ];
}

function common_<T extends TimeseriesBuilder | StatBuilder | TableBuilder>(b: T, spec: PanelSpec): T {
  b.id(spec.id)
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .targets(targets(spec.queries, b instanceof TableBuilder));
  if (spec.thresholds) b.thresholds(thresholds(spec.thresholds));
  if (spec.min !== undefined) b.min(spec.min);
  if (spec.max !== undefined) b.max(spec.max);
  if (spec.mappings) b.mappings(spec.mappings);
  return b;
}

export function timeseries(spec: PanelSpec & { bars?: boolean }): TimeseriesBuilder {
  const b = common_(new TimeseriesBuilder(), spec)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (spec.thresholds) b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  if (spec.bars) b.drawStyle(common.GraphDrawStyle.Bars).fillOpacity(60);
  return b;
}

/**
 * A ratio with its 95% interval: the estimate as a solid line, the bounds dashed (queries B
 * and C), so a jump inside a wide band reads as noise and not as news.
 */
export function ratioWithInterval(spec: PanelSpec): TimeseriesBuilder {
  const dashed = [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 6] } },
    { id: 'custom.lineWidth', value: 1 },
  ];
  return timeseries(spec).overrideByQuery('B', dashed).overrideByQuery('C', dashed);
}

export function stat(spec: PanelSpec): StatBuilder {
  return common_(new StatBuilder(), { height: 5, ...spec })
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None);
}

export function table(spec: PanelSpec): TableBuilder {
  // an instant query's one timestamp per row says nothing: hide it
  return common_(new TableBuilder(), spec).withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
}
