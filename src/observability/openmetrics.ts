/** What /metrics answers an OpenMetrics scrape with. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * True when the Accept header prefers OpenMetrics to the classic text format (Prometheus asks
 * for both, OpenMetrics with the higher q). A tie goes to the format named explicitly.
 */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text;
}

/**
 * The classic exposition (prom-client's, one registry) rewritten as OpenMetrics 1.0: a counter's
 * family is named without `_total` (its samples keep it), `untyped` is `unknown`, quotes in HELP
 * are escaped, no blank lines, `# EOF` at the end. prom-client's own OpenMetrics switch is
 * per registry and renames the counters in place, which would break the next classic scrape.
 */
export function toOpenMetrics(text: string): string {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const counters = new Set<string>();
  for (const l of lines) {
    const m = /^# TYPE (\S+) counter$/.exec(l);
    if (m) counters.add(m[1]);
  }
  const family = (name: string) => (counters.has(name) ? name.replace(/_total$/, '') : name);
  const out = lines.map((l) => {
    const help = /^# HELP (\S+) (.*)$/.exec(l);
    if (help) return `# HELP ${family(help[1])} ${help[2].replace(/"/g, '\\"')}`;
    const type = /^# TYPE (\S+) (\S+)$/.exec(l);
    if (type) return `# TYPE ${family(type[1])} ${type[2] === 'untyped' ? 'unknown' : type[2]}`;
    if (l.startsWith('#')) return l;
    // a counter sample without the suffix (not ours, but a library's) gets it
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)![0];
    return counters.has(name) && !name.endsWith('_total') ? `${name}_total${l.slice(name.length)}` : l;
  });
  return `${out.join('\n')}\n# EOF\n`;
}
