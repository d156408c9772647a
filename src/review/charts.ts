import * as vega from 'vega';
import * as vl from 'vega-lite';
import { esc } from './html.js';

/**
 * Charts as inline SVG: a Vega-Lite spec compiled and rendered in Node (renderer 'none': no
 * canvas, no DOM), so the page needs no script and fetches nothing. Every chart is a
 * <figure data-chart data-points>: the browser tests count its marks against its points.
 */
type Row = Record<string, unknown>;
type Spec = vl.TopLevelSpec;

const WIDTH = 620;
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11, orient: 'bottom' },
  range: { category: ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#6e7781'] },
} as const;

export interface Chart {
  id: string;
  title: string;
  points: number;
  svg: string | null;
}

export async function renderChart(id: string, title: string, data: Row[], spec: Omit<Spec, 'data'>): Promise<Chart> {
  if (data.length === 0) return { id, title, points: 0, svg: null };
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, width: WIDTH, ...spec, data: { values: data } } as Spec;
  const view = new vega.View(vega.parse(vl.compile(full).spec), { renderer: 'none' });
  try {
    // the namespace URIs are names, not fetches; the schema URL is dropped from the output
    const svg = await view.toSVG();
    return { id, title, points: data.length, svg };
  } finally {
    view.finalize();
  }
}

export function figure(c: Chart, caption = ''): string {
  const body = c.svg ?? '<p class="empty">No data in this period.</p>';
  return `<figure class="chart" data-chart="${esc(c.id)}" data-points="${c.points}"><figcaption><strong>${esc(c.title)}</strong>${caption ? ` — ${esc(caption)}` : ''}</figcaption>${body}</figure>`;
}

const utcTime = (field: string, title: string) => ({ field, type: 'temporal' as const, title, scale: { type: 'utc' as const }, axis: { format: '%b %d', labelAngle: 0 } });

/** A rate over time with its 95% band (rows: t, value, lo, hi, series). */
export function bandSpec(yTitle: string, percent = true): Omit<Spec, 'data'> {
  const y = { type: 'quantitative' as const, title: yTitle, axis: percent ? { format: '.0%' } : {} };
  return {
    height: 170,
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { x: utcTime('t', ''), y: { field: 'lo', ...y }, y2: { field: 'hi' }, color: { field: 'series', type: 'nominal', title: null } } },
      { mark: { type: 'line', point: true }, encoding: { x: utcTime('t', ''), y: { field: 'value', ...y }, color: { field: 'series', type: 'nominal', title: null } } },
    ],
  } as Omit<Spec, 'data'>;
}

/** Lines over time (rows: t, value, series). */
export function linesSpec(yTitle: string, format = ''): Omit<Spec, 'data'> {
  return {
    height: 160,
    mark: { type: 'line', point: true },
    encoding: {
      x: utcTime('t', ''),
      y: { field: 'value', type: 'quantitative', title: yTitle, ...(format ? { axis: { format } } : {}) },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as Omit<Spec, 'data'>;
}

/** Stacked bars over time (rows: t, value, series). */
export function barsOverTimeSpec(yTitle: string): Omit<Spec, 'data'> {
  return {
    height: 150,
    mark: { type: 'bar' },
    encoding: {
      x: { field: 't', type: 'ordinal', timeUnit: 'utcyearmonthdate', title: '', axis: { format: '%b %d', labelAngle: -45 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, stack: true },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as Omit<Spec, 'data'>;
}

/** Horizontal bars (rows: label, value). */
export function hbarSpec(xTitle: string): Omit<Spec, 'data'> {
  return {
    mark: { type: 'bar' },
    encoding: { y: { field: 'label', type: 'nominal', title: null, sort: null }, x: { field: 'value', type: 'quantitative', title: xTitle } },
  } as Omit<Spec, 'data'>;
}

/** Point estimates with interval whiskers (rows: label, value, lo, hi). */
export function intervalsSpec(xTitle: string, domain: [number, number]): Omit<Spec, 'data'> {
  return {
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } }, x: { field: 'lo', type: 'quantitative', title: xTitle, scale: { domain } }, x2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { y: { field: 'label', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' } } },
    ],
  } as Omit<Spec, 'data'>;
}

/** A matrix of reviewer pairs (rows: a, b, value, text). */
export function heatmapSpec(title: string): Omit<Spec, 'data'> {
  return {
    width: { step: 34 } as unknown as number,
    height: { step: 22 } as unknown as number,
    layer: [
      { mark: 'rect', encoding: { x: { field: 'b', type: 'nominal', title: null, axis: { labelAngle: -45 } }, y: { field: 'a', type: 'nominal', title: null }, color: { field: 'value', type: 'quantitative', title, scale: { domain: [-0.2, 1], scheme: 'blues' } } } },
      // light text on dark cells: the scheme's dark end starts near 0.5
      { mark: { type: 'text', fontSize: 8 }, encoding: { x: { field: 'b', type: 'nominal' }, y: { field: 'a', type: 'nominal' }, text: { field: 'text' }, color: { condition: { test: 'datum.value > 0.5', value: 'white' }, value: 'black' } } },
    ],
  } as Omit<Spec, 'data'>;
}

/** Checks per window, side by side per series (rows: window, label, series). */
export function timelineSpec(): Omit<Spec, 'data'> {
  return {
    height: { step: 16 } as unknown as number,
    mark: { type: 'square', size: 70 },
    encoding: {
      x: { field: 'window', type: 'ordinal', title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal' },
      y: { field: 'label', type: 'nominal', title: null, axis: { labelLimit: 280 } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as Omit<Spec, 'data'>;
}

/** A rate that changes in steps (rows: t, value, series). */
export function stepSpec(yTitle: string): Omit<Spec, 'data'> {
  return {
    height: 140,
    mark: { type: 'line', interpolate: 'step-after', point: true },
    encoding: { x: utcTime('t', ''), y: { field: 'value', type: 'quantitative', title: yTitle, axis: { format: '.0%' } }, color: { field: 'series', type: 'nominal', title: null } },
  } as Omit<Spec, 'data'>;
}
