import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { panelExpressions, seriesOf } from '../helpers/grafana-promql.js';

/** docs/prometheus.md is the exporter's contract: a dashboard may read only series it lists. */
const DOC = path.resolve(import.meta.dirname, '../../docs/prometheus.md');

describe.skipIf(!existsSync(DOC))('the Prometheus dashboards read only documented series', () => {
  it('every hitl_ series of every panel expression is in docs/prometheus.md', () => {
    const documented = new Set(readFileSync(DOC, 'utf8').match(/`hitl_\w+`/g)?.map((n) => n.slice(1, -1)));
    // a histogram's _bucket series is documented by its family name
    const family = (s: string) => s.replace(/_bucket$/, '');
    const unknown = panelExpressions().flatMap((e) => seriesOf(e.expr).filter((s) => !documented.has(family(s))).map((s) => `${e.where}: ${s}`));
    expect(unknown).toEqual([]);
  });
});
