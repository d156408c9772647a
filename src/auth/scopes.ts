import { LoopwatchError } from '../errors.js';

/** What a token may do. admin implies every other scope; export is reserved for dataset export. */
export const SCOPES = ['ingest', 'read', 'export', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who may reach a route: nobody needs a token (`open`), any valid token (`any`), or one scope. */
export type RouteNeed = 'open' | 'any' | Scope;

const PROBES = new Set(['/healthz', '/readyz']);

/**
 * The scope a request needs, from its method and path alone, before any router runs: a route
 * added later without an entry here needs a valid token (fail closed), never nothing.
 */
export function routeNeed(method: string, rawPath: string, openMetrics: boolean): RouteNeed {
  const path = canonical(rawPath);
  if (PROBES.has(path)) return 'open';
  if (path === '/metrics') return openMetrics ? 'open' : 'read';
  if (path === '/v1/events') return method === 'POST' ? 'ingest' : 'any';
  if (path === '/v1/datasets' || path.startsWith('/v1/datasets/')) return 'export';
  if (path === '/v1/summary' || path === '/v1/metrics' || path.startsWith('/v1/metrics/') || path.startsWith('/v1/cases/') || path === '/v1/reviews' || path.startsWith('/v1/whatif/')) return 'read';
  // an override changes how much of a workflow's auto-approved work humans check: admin only
  if (path === '/v1/sampling' || path.startsWith('/v1/sampling/')) return method === 'GET' ? 'read' : 'admin';
  return 'any';
}

/** Express routes ignore case and a trailing slash: so must the lookup, or /V1/EVENTS/ would need any token only. */
function canonical(path: string): string {
  let p = path;
  try {
    p = decodeURIComponent(p);
  } catch {
    // a malformed escape matches no route; it keeps needing a token
  }
  return p.toLowerCase().replace(/\/+$/, '') || '/';
}

export function grants(scopes: readonly Scope[], need: RouteNeed): boolean {
  if (need === 'open' || need === 'any') return true;
  return scopes.includes('admin') || scopes.includes(need);
}

export function parseScopes(text: string): Scope[] {
  const wanted = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new LoopwatchError('scope_invalid', `${unknown.length ? `unknown scope ${unknown.join(', ')}` : 'no scope given'}; expected a comma-separated list of ${SCOPES.join(', ')}`);
  }
  return [...new Set(wanted)] as Scope[];
}
