/** 2026-11-24 09:30:00.123: what a DateTime64(3, 'UTC') parameter parses exactly, on a server and in chdb. */
export function utcText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Named parameters for {name:Type} placeholders. Dates become UTC text with milliseconds: the
 * client's own Date formatting differs between HTTP and chdb and chdb drops the milliseconds.
 */
export function toQueryParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(params)) {
    if (v instanceof Date) out[key] = utcText(v);
    else if (Array.isArray(v)) out[key] = v.map((x) => (x instanceof Date ? utcText(x) : x));
    else out[key] = v;
  }
  return out;
}
