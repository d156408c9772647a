import type { NextFunction, Request, Response } from 'express';
import type { Auth } from '../auth/guard.js';
import { grants, routeNeed } from '../auth/scopes.js';
import { LoopwatchError } from '../errors.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every request, before any router reads its body: open while no token was ever created (and
 * auth is not `required`), else a Bearer token with the route's scope. The token's name goes to
 * the access line (res.locals.tokenName); the token itself is never logged.
 */
export function requireToken(auth: Auth) {
  return (req: Request, res: Response, next: NextFunction) => {
    const need = routeNeed(req.method, req.path, auth.openMetrics);
    if (need === 'open') return next();
    let stored;
    try {
      stored = auth.tokens.all();
    } catch (err) {
      return next(err);
    }
    // a revoked token still counts: revoking the last token must not open the server
    if (stored.length === 0 && !auth.required) return next();
    const presented = BEARER.exec(req.get('authorization') ?? '')?.[1];
    const check = presented === undefined ? undefined : auth.tokens.check(presented);
    if (!check?.ok) {
      res.set('WWW-Authenticate', presented === undefined ? 'Bearer realm="loopwatch"' : 'Bearer realm="loopwatch", error="invalid_token"');
      return next(new LoopwatchError('unauthorized', presented === undefined ? 'this route needs Authorization: Bearer <token>' : 'the token is unknown or revoked'));
    }
    res.locals.tokenName = check.name;
    if (!grants(check.scopes, need)) {
      res.set('WWW-Authenticate', `Bearer realm="loopwatch", error="insufficient_scope", scope="${need}"`);
      return next(new LoopwatchError('forbidden', `the token "${check.name}" lacks the scope ${need} this route needs`));
    }
    next();
  };
}

const BODY_TYPES = new Set(['application/json', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-lines']);

/**
 * POST /v1/events takes JSON and NDJSON only (gzip via Content-Encoding). text/plain, forms and
 * multipart are what a foreign web page can send without a CORS preflight: refusing them is what
 * keeps a browser tab from posting events.
 */
export function requireEventTypes(req: Request, _res: Response, next: NextFunction) {
  if (req.method !== 'POST' || req.path !== '/v1/events') return next();
  const type = req.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type && BODY_TYPES.has(type)) return next();
  next(new LoopwatchError('content_type_unsupported', `Content-Type ${type ? `"${type}"` : '(none)'} is not accepted; send application/json or application/x-ndjson (gzip with Content-Encoding: gzip)`));
}

/**
 * No CORS: no Access-Control-Allow-* header is ever sent, and a preflight is refused, so a page
 * from another origin can neither read answers nor send the headers a token needs.
 */
export function refusePreflight(req: Request, _res: Response, next: NextFunction) {
  if (req.method !== 'OPTIONS') return next();
  next(new LoopwatchError('method_not_allowed', 'OPTIONS is not served: Loopwatch does not answer cross-origin requests'));
}
