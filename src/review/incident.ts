import { LoopwatchError } from '../errors.js';
import { LANES, type Lane } from '../events/vocabulary.js';
import type { TargetConfig } from '../config/sla-policy.js';
import { cutParams, cutsSchema } from '../metrics/cuts.js';
import { Q } from '../store/queries.js';
import type { CaseTrailRow, LogEventRow, SimilarCaseRow } from '../store/review-rows.js';
import type { CaseStateRow } from '../store/query-rows.js';
import type { ReviewDeps } from './gather.js';
import { caseLink, count, duration, esc, minute, page, section, table } from './html.js';
import { parseRange } from './period.js';
import { reviewerNamer, type ReviewerIds } from './pseudonym.js';
import type { RenderedReview } from './review.js';

export interface IncidentRequest {
  /** A case id, or `<from>..<to>`. */
  target: string;
  workflow?: string;
  ids: ReviewerIds;
  fresh: boolean;
  caseLinkBase: string;
}

/** Days before the case in which similar cases are looked for. */
export const SIMILAR_WINDOW_DAYS = 14;
/** Cases a range review opens in full. */
const MAX_CASES_IN_RANGE = 10;

interface CaseFile {
  state: CaseStateRow;
  trail: CaseTrailRow[];
  similar: SimilarCaseRow[];
}

/**
 * A post-incident review (playbook: "post-incident review for every material failure"): of one
 * case, or of every incident and line stop in a time range with the cases they name.
 */
export async function buildIncidentReview(deps: ReviewDeps, req: IncidentRequest): Promise<RenderedReview> {
  const t = performance.now();
  const name = reviewerNamer(req.ids);
  // the derived tables (case_facts: similar cases) as fresh as asked, and built at least once:
  // a server that has not run its metric job yet has none
  if (req.fresh || !deps.runner.latest()) await deps.store.refreshDerived();
  const range = req.target.includes('..') ? parseRange(req.target) : null;
  let title: string;
  let body: string;
  if (range) {
    const params = cutParams(cutsSchema.parse({ ...(req.workflow ? { workflow: req.workflow } : {}), from: range.from.toISOString(), to: range.to.toISOString() }));
    const events = await deps.store.query(Q.reviewLogEvents, params);
    const ids = [...new Set(events.map((e) => e.case_id).filter((c): c is string => c !== null))].slice(0, MAX_CASES_IN_RANGE);
    const files = await Promise.all(ids.map((id) => caseFile(deps, id)));
    title = `Post-incident review ${range.label}`;
    body = eventsSection(events, name, req.caseLinkBase) + files.map((f) => (f ? caseSections(f, name, req.caseLinkBase, deps) : '')).join('');
  } else {
    const file = await caseFile(deps, req.target);
    if (!file) throw new LoopwatchError('case_not_found', `no events for case ${JSON.stringify(req.target)}`);
    title = `Post-incident review of case ${req.target}`;
    body = caseSections(file, name, req.caseLinkBase, deps);
  }
  const header = `<h1>${esc(title)}</h1><p class="meta">Generated ${esc(minute(new Date()))} by Loopwatch · reviewer ids ${req.ids.mode === 'plain' ? 'as recorded' : 'pseudonymized'}</p>`;
  const html = page(title, header, [], body, 'Definitions: docs/review.md#post-incident-review.');
  return { html, ms: Math.round(performance.now() - t) };
}

async function caseFile(deps: ReviewDeps, caseId: string): Promise<CaseFile | null> {
  const [[state], trail, similar] = await Promise.all([
    deps.store.query(Q.caseState, { case_id: caseId }),
    deps.store.query(Q.caseTrail, { case_id: caseId }),
    deps.store.query(Q.similarCases, { case_id: caseId, window_days: SIMILAR_WINDOW_DAYS }),
  ]);
  return state ? { state, trail, similar } : null;
}

function eventsSection(events: LogEventRow[], name: (id: string | null) => string, base: string): string {
  const rows = events
    .filter((e) => e.type !== 'sampling.changed')
    .map((e) => [minute(e.ts), esc(e.type), esc(e.workflow ?? 'all workflows'), esc(e.severity ?? e.trigger ?? ''), esc(name(e.actor_id)), e.case_id ? caseLink(base, e.case_id) : '']);
  return section('events', 'Incidents and line stops in the range', table(['When', 'Event', 'Workflow', 'Severity / trigger', 'By', 'Case'], rows));
}

function caseSections(f: CaseFile, name: (id: string | null) => string, base: string, deps: ReviewDeps): string {
  const s = f.state;
  const id = esc(s.case_id);
  const summary = table(
    ['Workflow', 'Tier', 'Lane', 'Model', 'Confidence', 'Model label', 'Final label', 'Outcome', 'State'],
    [[esc(s.workflow ?? '—'), esc(s.tier ?? '—'), esc(s.lane ?? '—'), `<code>${esc(s.model_version ?? '—')}</code>`, esc(s.confidence ?? '—'), `<code>${esc(s.model_label ?? '—')}</code>`, `<code>${esc(s.final_label ?? '—')}</code>`, esc(s.outcome ?? '—'), esc(s.state)]],
  );
  const risks = s.risk_signals?.length ? `<p>Risk signals: ${s.risk_signals.map((r) => `<span class="pill">${esc(r)}</span>`).join(' ')}</p>` : '';
  const start = f.trail[0]?.ts.getTime() ?? 0;
  const trail = table(
    ['When', '+', 'Event', 'Who', 'Role', 'Policy', 'What'],
    f.trail.map((e) => [minute(e.ts), duration((e.ts.getTime() - start) / 1000), esc(e.type), `<span class="mono">${esc(name(e.actor_id))}</span>`, esc(e.actor_role ?? ''), `<code>${esc(e.policy_version ?? '')}</code>`, what(e)]),
  );
  const gates = f.trail.filter((e) => e.gate_id);
  const gateRows = gates.map((e) => {
    const checks = parse(e.gate_checks);
    return [minute(e.ts), `<code>${esc(e.gate_id)}</code>`, `<span class="mono">${esc(name(e.actor_id))}</span>`, Object.entries(checks).map(([k, v]) => `<span class="pill${v === 'fail' ? ' fired' : ''}">${esc(k)}: ${esc(v)}</span>`).join(' ')];
  });
  const policies = [...new Set(f.trail.map((e) => e.policy_version).filter((p): p is string => Boolean(p)))];
  const decided = f.trail.filter((e) => e.type === 'review.decided' || e.type === 'audit.completed' || e.type === 'case.escalated');
  const decisions = table(['When', 'Who', 'Level', 'Decision', 'Label', 'Reason'], decided.map((e) => [minute(e.ts), `<span class="mono">${esc(name(e.actor_id))}</span>`, esc(e.level ?? e.to_level ?? ''), esc(e.decision ?? e.verdict ?? `escalated (${e.trigger ?? ''})`), `<code>${esc(e.final_label ?? e.correct_label ?? '')}</code>`, esc(e.reason_code ?? '')]));
  const similar = table(
    ['Case', 'Created', 'Tier', 'Lane', 'Confidence', 'Final label', 'Outcome', 'Audit', 'Escalations', 'Reopens'],
    f.similar.map((c) => [caseLink(base, c.case_id), minute(c.created_at), esc(c.tier ?? ''), esc(c.lane ?? ''), esc(c.confidence ?? ''), `<code>${esc(c.final_label ?? '')}</code>`, esc(c.outcome ?? ''), esc(c.audit_verdict ?? ''), count(c.escalations), count(c.reopens)]),
  );
  return [
    section(`case-${id}`, `Case ${s.case_id}`, summary + risks + `<p>${caseLink(base, s.case_id)} · ${count(f.trail.length)} events</p>`),
    section(`trail-${id}`, 'Audit trail', trail, { lead: 'Every event of the case in event-time order, arrival order breaking ties.' }),
    section(`decisions-${id}`, 'Who decided what, and when', decisions),
    section(`gates-${id}`, 'Gates and checks at the time', table(['When', 'Gate', 'Who', 'Checks'], gateRows) + `<p>Policy versions in force on the case's events: ${policies.map((p) => `<code>${esc(p)}</code>`).join(', ') || '—'}.</p>`),
    section(`sla-${id}`, 'SLA clocks', slaClocks(f, deps)),
    section(`similar-${id}`, `Similar cases in the ${SIMILAR_WINDOW_DAYS} days before`, similar, { lead: 'Same workflow and model label, confidence within 0.05: was this the first such case, or the one that got noticed?' }),
  ].join('');
}

function what(e: CaseTrailRow): string {
  const bits = [
    e.lane && `lane ${e.lane}`,
    e.rule_ids?.length && `rules ${e.rule_ids.join(', ')}`,
    e.decision && `${e.decision}${e.final_label ? ` → ${e.final_label}` : ''}`,
    e.reason_code && `reason ${e.reason_code}`,
    e.to_level && `to level ${e.to_level} (${e.trigger ?? ''})`,
    e.outcome && `outcome ${e.outcome}${e.final_label && !e.decision ? ` (${e.final_label})` : ''}`,
    e.verdict && `audit ${e.verdict}${e.correct_label ? ` → ${e.correct_label}` : ''}`,
    e.severity && `severity ${e.severity}`,
    e.confidence !== null && e.type === 'case.created' && `confidence ${e.confidence}, label ${e.model_label ?? '—'}`,
  ].filter(Boolean);
  return esc(bits.join('; '));
}

function parse(json: string | null): Record<string, string> {
  try {
    return json ? (JSON.parse(json) as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The lane's targets (the SLA policy, the workflow's overrides over it) beside what the case took. */
function slaClocks(f: CaseFile, deps: ReviewDeps): string {
  const lane = (f.state.lane ?? '') as Lane;
  if (!LANES.includes(lane)) return '<p class="empty">The case was never triaged: no SLA clock ran.</p>';
  const policy = deps.config.sla;
  const targets = { ...policy.lanes[lane], ...(policy.workflows[f.state.workflow ?? '']?.lanes[lane] ?? {}) } as Record<string, TargetConfig | null>;
  const first = (type: string) => f.trail.find((e) => e.type === type)?.ts.getTime();
  const triaged = first('case.triaged');
  const took: Record<string, number | undefined> = {
    acknowledge: triaged !== undefined && first('review.acknowledged') !== undefined ? first('review.acknowledged')! - triaged : undefined,
    complete: triaged !== undefined && first('review.decided') !== undefined ? first('review.decided')! - triaged : undefined,
    resolve: triaged !== undefined && first('case.closed') !== undefined ? first('case.closed')! - triaged : undefined,
  };
  const rows = Object.entries(targets)
    .filter(([, t]) => t)
    .map(([stage, t]) => {
      const target = 'minutes' in t! ? `${t!.minutes} min (${t!.clock} clock)` : 'sameBusinessDay' in t! ? 'same business day' : `${t!.businessDays} business day(s)`;
      const ms = took[stage];
      const verdict = ms === undefined ? '—' : 'minutes' in t! && t!.clock === 'wall' ? (ms <= t!.minutes * 60_000 ? 'met' : '<span class="pill fired">breached</span>') : 'see the sla metrics (business calendar)';
      return [esc(stage), esc(target), ms === undefined ? '—' : duration(ms / 1000), verdict];
    });
  return table(['Stage', 'Target', 'Took (wall clock, from triage)', 'Verdict'], rows) + '<p class="note">Business-clock targets count working hours only (docs/metrics/queues-sla.md); the sla family computes them exactly for any cut.</p>';
}
