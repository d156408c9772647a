import type { Decision, EscalationTrigger } from '../events/vocabulary.js';
import { Rng, weighted } from './random.js';
import type { Tier, WorkflowProfile } from './workflows.js';

export type ReviewerRole = 'verifier' | 'approver' | 'specialist' | 'auditor';

export interface Reviewer {
  id: string;
  role: ReviewerRole;
  /** Chance of catching a wrong label, and of leaving a right one alone. */
  accuracy: number;
  /** Median minutes from acknowledging to deciding. */
  medianMinutes: number;
  /** Approves nearly everything within a minute: the pattern the metrics should expose. */
  rubberStamp: boolean;
}

export interface Pools {
  verifiers: Reviewer[];
  approvers: Reviewer[];
  specialists: Reviewer[];
  auditors: Reviewer[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The same seed gives the same people, whatever else changes in the simulation. */
export function buildPools(seed: number, wf: WorkflowProfile): Pools {
  const rng = new Rng(seed, `reviewers:${wf.name}`);
  const sizes = wf.pools;
  let k = 0;
  const make = (role: ReviewerRole, count: number, acc: [number, number], minutes: number): Reviewer[] =>
    Array.from({ length: count }, () => ({
      id: `rev-${wf.short}-${pad2(++k)}`,
      role,
      accuracy: rng.uniform(acc[0], acc[1]),
      medianMinutes: rng.lognormal(minutes, 0.45),
      rubberStamp: false,
    }));
  const verifiers = make('verifier', sizes.verifiers, [0.8, 0.97], 12);
  for (let i = 0; i < sizes.rubberStampers; i++) {
    // distinct ones: step over those already chosen
    let r = verifiers[rng.int(verifiers.length)];
    while (r.rubberStamp) r = verifiers[(verifiers.indexOf(r) + 1) % verifiers.length];
    r.rubberStamp = true;
    r.medianMinutes = rng.uniform(0.4, 0.9);
  }
  const approvers = make('approver', sizes.approvers, [0.88, 0.98], 20);
  const specialists = make('specialist', sizes.specialists, [0.92, 0.99], 40);
  const auditors = Array.from({ length: sizes.auditors }, (_, i) => ({
    id: `aud-${wf.short}-${pad2(i + 1)}`,
    role: 'auditor' as const,
    accuracy: rng.uniform(0.95, 0.99),
    medianMinutes: 15,
    rubberStamp: false,
  }));
  return { verifiers, approvers, specialists, auditors };
}

/** Escalation levels (vocabulary.ts): 1 first-level reviewer, 2 approver, 3 specialist. */
export function poolAt(pools: Pools, level: number): Reviewer[] {
  return level === 1 ? pools.verifiers : level === 2 ? pools.approvers : pools.specialists;
}

/** Someone from the pool other than `not` (dual review's second pair of eyes). */
export function pickOther(rng: Rng, pool: readonly Reviewer[], not: Reviewer): Reviewer {
  const i = pool.indexOf(not);
  if (i < 0 || pool.length < 2) return rng.pick(pool);
  return pool[(i + 1 + rng.int(pool.length - 1)) % pool.length];
}

/** A label from `labels` other than `not`. */
export function otherLabel(rng: Rng, labels: readonly string[], not: string): string {
  const skip = labels.indexOf(not);
  if (skip < 0) return rng.pick(labels);
  let i = rng.int(labels.length - 1);
  if (i >= skip) i++;
  return labels[i];
}

/** What the reviewer saw and what is actually true (the latter hidden from the events). */
export interface CaseFacts {
  wf: WorkflowProfile;
  tier: Tier;
  confidence: number;
  trueLabel: string;
  /** Prohibited content: the case belongs on the stop-the-line lane. */
  prohibited: boolean;
}

export interface Judgment {
  decision: Decision;
  label?: string;
  reason?: string;
  trigger?: EscalationTrigger;
}

const otherTriggers = weighted({ policy: 0.3, missing_context: 0.35, conflicting_signals: 0.2, manual: 0.15 });
const TRIGGER_REASON: Partial<Record<EscalationTrigger, string>> = {
  policy: 'policy_violation',
  missing_context: 'missing_context',
  high_impact: 'needs_specialist',
  low_confidence: 'insufficient_evidence',
  manual: 'other',
};

export function escalation(rng: Rng, f: CaseFacts): Judgment {
  let trigger: EscalationTrigger;
  if (f.confidence < 0.5 && rng.chance(0.6)) trigger = 'low_confidence';
  else if (f.tier === 3 && rng.chance(0.4)) trigger = 'high_impact';
  else trigger = otherTriggers.draw(rng);
  return { decision: 'escalate', trigger, reason: TRIGGER_REASON[trigger] };
}

/**
 * One reviewer's decision on the label `shown` to them. A wrong label is caught with the
 * reviewer's accuracy; a right one is occasionally "corrected" wrongly, which is what lets
 * audits and dual reviews measure reviewer quality rather than only model quality.
 */
export function judge(rng: Rng, r: Reviewer, f: CaseFacts, shown: string, canEscalate: boolean): Judgment {
  const wf = f.wf;
  if (f.prohibited) {
    return rng.chance(0.9)
      ? { decision: 'reject', reason: rng.chance(0.5) ? 'sensitive_data' : 'policy_violation' }
      : { decision: 'approve', label: shown };
  }
  if (r.rubberStamp && rng.chance(0.97)) return { decision: 'approve', label: shown };
  if (canEscalate) {
    const p = 0.02 + (f.confidence < 0.5 ? 0.06 : 0) + (f.tier === 3 ? 0.03 : 0);
    if (rng.chance(p)) return escalation(rng, f);
  }
  if (shown === f.trueLabel) {
    if (rng.chance(r.accuracy + (1 - r.accuracy) * 0.6)) return { decision: 'approve', label: shown };
    return rng.chance(0.8)
      ? { decision: 'override', label: otherLabel(rng, wf.labels, shown), reason: wf.overrideReasons.draw(rng) }
      : { decision: 'reject', reason: wf.rejectReasons.draw(rng) };
  }
  if (!rng.chance(r.accuracy)) return { decision: 'approve', label: shown };
  if (rng.chance(0.15)) return { decision: 'reject', reason: wf.rejectReasons.draw(rng) };
  const label = rng.chance(0.93) ? f.trueLabel : otherLabel(rng, wf.labels, shown);
  return { decision: 'override', label, reason: wf.overrideReasons.draw(rng) };
}
