import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { LoopwatchError } from '../errors.js';
import { explainIssue } from '../events/messages.js';
import { ACTOR_ROLES } from '../events/vocabulary.js';
import type { SamplingChange, SamplingStatus } from '../feedback/sampling/status.js';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';

const FAILURE = { code: 'query_failed', message: 'the sampling state could not be read', withCause: true } as const;
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const workflowParam = z.string().min(1).max(200);
const overrideBody = z
  .object({
    rate: z.number().gt(0).max(1),
    until: instant,
    actor_id: z.string().min(1).max(256).optional(),
    actor_role: z.enum(ACTOR_ROLES).optional(),
    detail: z.string().min(1).max(256).optional(),
  })
  .strict();
const historyQuery = z.object({ from: instant.optional(), to: instant.optional() }).strict();

/**
 * The sampling controller's routes (docs/sampling.md#http): state and rate per workflow, the
 * decide answer, the workflow's sampling changes, and a manual override (admin scope).
 */
export function samplingRouter(deps: AppDeps): Router {
  const router = Router();
  const sampling = deps.sampling;
  if (!sampling) return router;
  const workflow = (req: Request) => parse(workflowParam, req.params.workflow, 'workflow');

  router.get('/v1/sampling', async (_req, res, next) => {
    try {
      res.json({ workflows: (await sampling.statuses()).map(statusJson) });
    } catch (err) {
      next(routeFailure(err, FAILURE));
    }
  });
  router.get('/v1/sampling/:workflow', async (req, res, next) => {
    try {
      res.json(statusJson(await sampling.status(workflow(req))));
    } catch (err) {
      next(routeFailure(err, FAILURE));
    }
  });
  router.get('/v1/sampling/:workflow/decide', async (req, res, next) => {
    try {
      const caseId = parse(z.string().min(1).max(256), req.query.case_id, 'case_id');
      const d = await sampling.decide(workflow(req), caseId);
      res.json({ sample: d.sample, rate: d.rate, state: d.state, workflow: d.workflow, case_id: d.case_id });
    } catch (err) {
      next(routeFailure(err, FAILURE));
    }
  });
  router.get('/v1/sampling/:workflow/history', async (req, res, next) => {
    try {
      const q = parse(historyQuery, req.query, 'query');
      const changes = await sampling.history(workflow(req), q.from ?? null, q.to ?? null);
      res.json({ workflow: req.params.workflow, changes: changes.map(changeJson) });
    } catch (err) {
      next(routeFailure(err, FAILURE));
    }
  });
  router.post('/v1/sampling/:workflow/override', express.json({ limit: '16kb' }), async (req, res, next) => {
    try {
      const body = parse(overrideBody, req.body, 'body');
      const status = await sampling.setOverride(workflow(req), { rate: body.rate, until: body.until, actorId: body.actor_id, actorRole: body.actor_role, detail: body.detail });
      res.status(201).json(statusJson(status));
    } catch (err) {
      next(routeFailure(err, FAILURES.events));
    }
  });
  return router;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value, { error: explainIssue });
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`).join('; ');
  throw new LoopwatchError('invalid_sampling_request', problems);
}

export function statusJson(s: SamplingStatus) {
  return {
    workflow: s.workflow,
    state: s.state,
    rate: s.rate,
    state_rate: s.state_rate,
    since: s.since?.toISOString() ?? null,
    last_change: s.last_change ? changeJson(s.last_change) : null,
    override: s.override ? { rate: s.override.rate, until: s.override.until.toISOString(), set_at: s.override.set_at.toISOString(), set_by: s.override.set_by, detail: s.override.detail } : null,
  };
}

export function changeJson(c: SamplingChange) {
  return { ...c, ts: c.ts.toISOString(), expires_at: c.expires_at?.toISOString() ?? null };
}
