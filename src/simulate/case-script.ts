import { CANCELLED, chain, escalate, review, TIMED_OUT } from './review.js';
import { weighted } from './random.js';
import { otherLabel, pickOther, type Judgment } from './reviewers.js';
import { CaseScript, HOUR, MINUTE, SECOND, type SimEnv } from './script.js';
import { AUTO_APPROVE_SAMPLING_RATE, triage } from './triage.js';
import { DRIFT_MODEL_VERSION, MODEL_VERSION, type WorkflowProfile } from './workflows.js';

/** Audit sampling of human-reviewed cases: higher than auto-approve QA, as reviews are fewer. */
export const HUMAN_AUDIT_RATE = 0.2;
const PROHIBITED_RATE = 0.003;
const SELF_APPROVAL_RATE = 0.001;
const SAME_DUAL_REVIEWER_RATE = 0.004;
const APPROVER_SKIPPED_RATE = 0.004;

const reopenReasons = weighted({ wrong_category: 0.4, factual_error: 0.25, missing_context: 0.2, other: 0.15 });
const auditReasons = weighted({ wrong_category: 0.6, factual_error: 0.25, policy_violation: 0.15 });
const caseSeverity = weighted({ sev1: 0.1, sev2: 0.35, sev3: 0.4, sev4: 0.15 });

/** The whole life of case `n`, arriving at `t0`: created, triaged, reviewed, closed, perhaps reopened and audited. */
export function scriptCase(env: SimEnv, n: number, wf: WorkflowProfile, t0: number): CaseScript {
  const rng = env.rng;
  const drifted = t0 >= env.driftAt && t0 < env.driftUntil;
  const { tier, features } = wf.draw(rng, drifted);
  const trueLabel = (drifted ? wf.driftMix : wf.mix).draw(rng);
  const [a, b] = drifted ? wf.driftConfidence : wf.confidence;
  const confidence = Math.round(rng.beta(a, b) * 10000) / 10000;
  // roughly calibrated before drift; after it the same confidence is worth less
  const pRight = wf.novel.has(trueLabel) ? 0 : drifted ? 0.2 + 0.7 * confidence : 0.3 + 0.68 * confidence;
  const modelLabel = rng.chance(pRight) ? trueLabel : otherLabel(rng, wf.known, trueLabel);
  const risks = wf.risks(rng, tier, trueLabel, features);
  const prohibited = rng.chance(drifted ? 2 * PROHIBITED_RATE : PROHIBITED_RATE);
  const creator = wf.creator(rng);
  const s = new CaseScript(env, `${env.caseIdPrefix}${n}`, wf, tier, confidence, trueLabel, modelLabel, prohibited, drifted, t0);

  const action = wf.actions[modelLabel];
  const created = s.head('case.created');
  created.actor_id = creator.id;
  if (creator.role) created.actor_role = creator.role;
  created.tier = tier;
  created.model_version = drifted ? DRIFT_MODEL_VERSION : MODEL_VERSION;
  created.prompt_version = wf.promptVersion;
  created.confidence = confidence;
  created.model_label = modelLabel;
  created.model_action = action;
  created.risk_signals = risks;
  created.features = features;
  created.input = wf.input(trueLabel, features, n);
  created.output = wf.output(action, modelLabel);
  if (rng.chance(wf.ticketUrlRate)) created.ticket_url = `https://desk.example.com/tickets/${100000 + n}`;
  s.add(t0, created);

  const route = triage(rng, { workflow: wf.name, tier, confidence, label: modelLabel, risks, features, prohibited });
  const triaged = s.head('case.triaged');
  triaged.actor_id = 'sys-triage';
  triaged.actor_role = 'system';
  triaged.policy_version = wf.policyVersion;
  triaged.lane = route.lane;
  // a copy: the rule lists are shared constants and a consumer may mutate what it receives
  triaged.rule_ids = route.ruleIds.slice();
  let sampled = false;
  let rate = AUTO_APPROVE_SAMPLING_RATE;
  if (route.lane === 'auto_approve') {
    if (env.sampler) ({ sample: sampled, rate } = env.sampler({ caseId: s.id, workflow: wf.name, at: t0 }));
    else sampled = rng.chance(AUTO_APPROVE_SAMPLING_RATE);
    triaged.sampled = sampled;
    triaged.sampling_rate = rate;
  }
  s.after(rng.lognormal(180, 0.6), triaged);

  if (route.lane !== 'auto_approve' && route.lane !== 'reject' && rng.chance(SELF_APPROVAL_RATE)) {
    s.selfApprover = { id: creator.id, role: 'verifier', accuracy: 0.5, medianMinutes: 2, rubberStamp: true };
  }
  switch (route.lane) {
    case 'auto_approve':
      close(s, 'executed', modelLabel, rng.lognormal(2 * SECOND, 0.5));
      break;
    case 'reject':
      close(s, 'rejected', undefined, rng.lognormal(SECOND, 0.5));
      break;
    case 'human_review':
      finish(s, chain(s, 1, modelLabel));
      break;
    case 'specialist_review':
      finish(s, chain(s, 3, modelLabel));
      break;
    case 'stop_the_line':
      stopTheLine(s);
      break;
    case 'approval':
      approval(s);
      break;
    case 'dual_review':
      dualReview(s);
      break;
  }
  let verdict: 'correct' | 'incorrect' | null = null;
  let humanDecision: string | undefined;
  if (s.outcome === 'executed' || s.outcome === 'approved') {
    humanDecision = reopen(s);
    // auto-approved cases were picked for QA at triage; reviewed ones are picked at closing
    const auto = route.lane === 'auto_approve';
    // with a sampler every accepted auto-approved case gets its would-be verdict (CaseTruth)
    if (auto && env.sampler) verdict = audit(s, rate, sampled);
    else if (auto ? sampled : rng.chance(HUMAN_AUDIT_RATE)) audit(s, auto ? rate : HUMAN_AUDIT_RATE);
  }
  if (env.onCase && route.lane === 'auto_approve') {
    const executed = s.outcome === 'executed' || s.outcome === 'approved';
    env.onCase({
      caseId: s.id,
      workflow: wf.name,
      createdAt: t0,
      lane: route.lane,
      accepted: executed && (humanDecision === undefined || humanDecision === 'approve'),
      wrong: s.finalLabel !== trueLabel,
      sampled,
      rate,
      auditVerdict: verdict,
    });
  }
  return s;
}

function close(s: CaseScript, outcome: NonNullable<CaseScript['outcome']>, label: string | undefined, delay: number): void {
  const ev = s.head('case.closed');
  ev.actor_id = 'sys-executor';
  ev.actor_role = 'system';
  ev.outcome = outcome;
  if (label !== undefined) ev.final_label = label;
  // executions are downstream automation, which a stopped line pauses
  const t = s.t + delay;
  s.add(outcome === 'executed' ? s.defer(t) : t, ev);
  s.outcome = outcome;
  s.finalLabel = label;
}

function finish(s: CaseScript, j: Judgment | typeof CANCELLED): void {
  const rng = s.rng;
  const delay = rng.lognormal(15 * SECOND, 0.8);
  if (j === CANCELLED) close(s, 'cancelled', undefined, delay);
  else if (j.decision === 'reject') close(s, 'rejected', undefined, delay);
  // an 'approved' close hands execution to a system outside the loop
  else close(s, rng.chance(0.1) ? 'approved' : 'executed', j.label, delay);
}

/** Playbook template C: a tier-3 request is pre-checked by a verifier, then an approver decides. */
function approval(s: CaseScript): void {
  let shown = s.modelLabel;
  if (s.tier === 3) {
    const verifier = s.pickReviewer(1);
    const pre = review(s, 1, verifier, shown, true);
    if (pre === CANCELLED || (pre !== TIMED_OUT && pre.decision === 'reject')) return finish(s, pre);
    if (pre === TIMED_OUT) escalate(s, 1, 'sla_timeout', undefined, null);
    else if (pre.decision === 'escalate') escalate(s, 1, pre.trigger ?? 'manual', pre.reason, verifier);
    else {
      // the control violation: executed on the verifier's word alone
      if (s.rng.chance(APPROVER_SKIPPED_RATE)) return close(s, 'executed', pre.label, s.rng.lognormal(15 * SECOND, 0.8));
      shown = pre.label!;
    }
  }
  finish(s, chain(s, 2, shown));
}

/** Playbook template D: two verifiers judge blind; a disagreement goes to an approver. */
function dualReview(s: CaseScript): void {
  const rng = s.rng;
  const first = s.pickReviewer(1);
  const second = rng.chance(SAME_DUAL_REVIEWER_RATE) ? first : pickOther(rng, s.pools.verifiers, first);
  const a = review(s, 1, first, s.modelLabel, false);
  if (a === CANCELLED || a === TIMED_OUT) return finish(s, CANCELLED);
  const b = review(s, 1, second, s.modelLabel, false);
  if (b === CANCELLED || b === TIMED_OUT) return finish(s, CANCELLED);
  if (a.decision === b.decision && a.label === b.label) {
    // agreement settles a reversible case; an irreversible (tier-3) one still needs an approver
    if (s.tier === 3 && b.decision !== 'reject') return finish(s, chain(s, 2, b.label ?? s.modelLabel));
    return finish(s, b);
  }
  escalate(s, 1, 'conflicting_signals', undefined, second);
  finish(s, chain(s, 2, s.modelLabel));
}

/** Prohibited content: a specialist reviews at once, and an incident is often filed. */
function stopTheLine(s: CaseScript): void {
  const j = chain(s, 3, s.modelLabel);
  if (j !== CANCELLED && s.rng.chance(0.35)) incident(s, s.rng.lognormal(5 * MINUTE, 0.6));
  finish(s, j);
}

function incident(s: CaseScript, delay: number): void {
  const ev = s.head('incident.reported');
  ev.actor_id = `oncall-${String(1 + s.rng.int(6)).padStart(2, '0')}`;
  ev.actor_role = 'specialist';
  ev.severity = caseSeverity.draw(s.rng);
  s.after(delay, ev);
}

/** Rework: a wrong outcome is often reopened by the requester; a right one rarely. Returns the rework's human decision, if any. */
function reopen(s: CaseScript): string | undefined {
  const rng = s.rng;
  if (!rng.chance(s.finalLabel === s.trueLabel ? 0.008 : 0.12)) return undefined;
  const ev = s.head('case.reopened');
  ev.actor_id = 'sys-ticketing';
  ev.actor_role = 'system';
  ev.reason_code = reopenReasons.draw(rng);
  s.after(rng.lognormal(5 * HOUR, 0.8), ev);
  const j = chain(s, 1, s.finalLabel ?? s.modelLabel);
  finish(s, j);
  return j === CANCELLED ? undefined : j.decision;
}

/**
 * QA audit within about a business day; `rate` is the chance this case was picked, for 1/rate
 * weighting. `emit` false draws the verdict an audit would give without recording it.
 */
function audit(s: CaseScript, rate: number, emit = true): 'correct' | 'incorrect' | null {
  const rng = s.rng;
  // rework may have ended in a rejection: nothing was executed, so there is nothing to audit
  if (s.outcome === 'rejected' || s.outcome === 'cancelled') return null;
  const auditor = rng.pick(s.pools.auditors);
  const seen = rng.chance(auditor.accuracy) ? s.trueLabel : otherLabel(rng, s.wf.labels, s.trueLabel);
  const ev = s.head('audit.completed');
  ev.actor_id = auditor.id;
  ev.actor_role = 'auditor';
  ev.policy_version = s.wf.policyVersion;
  const correct = seen === s.finalLabel;
  ev.verdict = correct ? 'correct' : 'incorrect';
  if (!correct) {
    ev.correct_label = seen;
    ev.reason_code = auditReasons.draw(rng);
  }
  ev.sampling_rate = rate;
  const delay = rng.uniform(1, 26) * HOUR;
  if (!emit) return ev.verdict as 'correct' | 'incorrect';
  s.after(delay, ev);
  if (!correct && s.tier === 3 && rng.chance(0.15)) incident(s, rng.lognormal(90 * MINUTE, 0.8));
  return ev.verdict as 'correct' | 'incorrect';
}
