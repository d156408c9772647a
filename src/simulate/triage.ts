import { HIGH_RISK_SIGNALS, type Lane } from '../events/vocabulary.js';
import type { Rng } from './random.js';
import type { Features, Tier, WorkflowName } from './workflows.js';

/**
 * The deterministic triage rules of each workflow (playbook §2 step 1 and the triage
 * policy template): confidence first, then business rules, then risk signals.
 */
export interface TriageInput {
  workflow: WorkflowName;
  tier: Tier;
  confidence: number;
  label: string;
  risks: readonly string[];
  features: Features;
  prohibited: boolean;
}

export interface Triage {
  lane: Lane;
  ruleIds: readonly string[];
}

/** QA sampling of auto-approved cases (playbook template A starts at 5%). */
export const AUTO_APPROVE_SAMPLING_RATE = 0.05;
/** A high-risk case slipped through to auto_approve: a silent-exception control violation. */
const MISROUTE_RATE = 0.006;

const HIGH_RISK: ReadonlySet<string> = new Set(HIGH_RISK_SIGNALS);

// rule lists are shared, never mutated: one array per rule outcome instead of one per case
const rules = (lane: Lane, ...ids: string[]): Triage => ({ lane, ruleIds: ids });
const STOP = rules('stop_the_line', 'TRI-STOP-PROHIBITED');
const REJECT = rules('reject', 'TRI-REJECT-LOWCONF');
const AUTO = rules('auto_approve', 'TRI-AUTO-CONF');
const AUTO_EXTERNAL = rules('auto_approve', 'TRI-AUTO-CONF', 'TRI-EXT-HIGHCONF');
const HR_CONF = rules('human_review', 'TRI-HR-CONF');
const HR_RISK = rules('human_review', 'TRI-HR-RISK');
const HR_TIER1_CONF = rules('human_review', 'TRI-HR-CONF', 'TRI-TIER1');
const HR_FINANCIAL = rules('human_review', 'TRI-HR-FINANCIAL');
const SPEC_LEGAL = rules('specialist_review', 'TRI-SPEC-LEGAL');
const SPEC_SECURITY = rules('specialist_review', 'TRI-SPEC-SECURITY');
const APPROVAL_ACCESS = rules('approval', 'TRI-APPROVAL-ACCESS');
const APPROVAL_TIER3 = rules('approval', 'TRI-APPROVAL-TIER3');
const DUAL_AMOUNT = rules('dual_review', 'TRI-DUAL-AMOUNT');

export const DUAL_REVIEW_AMOUNT = 5000;

function hasHighRisk(risks: readonly string[]): boolean {
  for (const r of risks) if (HIGH_RISK.has(r)) return true;
  return false;
}

function route(c: TriageInput, highRisk: boolean): Triage {
  if (c.prohibited) return STOP;
  if (c.confidence < 0.25) return REJECT;
  const legal = c.risks.includes('legal');
  switch (c.workflow) {
    case 'support_drafting': {
      if (legal) return SPEC_LEGAL;
      // tier 3 is irreversible or regulated: an approver signs it off (playbook template C)
      if (c.tier === 3) return APPROVAL_TIER3;
      if (highRisk) return HR_RISK;
      const external = c.risks.includes('external_comm');
      if (external) return c.confidence >= 0.9 ? AUTO_EXTERNAL : HR_CONF;
      return c.confidence >= 0.8 ? AUTO : HR_CONF;
    }
    case 'it_access_requests': {
      if (c.label === 'privileged_access' || legal) return SPEC_SECURITY;
      if (c.risks.includes('access_change')) return APPROVAL_ACCESS;
      if (c.tier === 3) return APPROVAL_TIER3;
      if (highRisk) return HR_RISK;
      return c.confidence >= 0.85 ? AUTO : HR_CONF;
    }
    case 'finance_adjustments': {
      if (legal) return SPEC_LEGAL;
      if (c.tier === 3) return Number(c.features.amount) >= DUAL_REVIEW_AMOUNT ? DUAL_AMOUNT : APPROVAL_TIER3;
      if (c.tier === 2) return HR_FINANCIAL;
      if (highRisk) return HR_RISK;
      return c.confidence >= 0.85 ? AUTO : HR_TIER1_CONF;
    }
  }
}

export function triage(rng: Rng, c: TriageInput): Triage {
  const highRisk = hasHighRisk(c.risks);
  const t = route(c, highRisk);
  // the violation needs a case a lax rule would have let through: confident and not tier 3
  if (highRisk && t.lane !== 'auto_approve' && t.lane !== 'stop_the_line' && t.lane !== 'reject' && c.tier < 3 && c.confidence >= 0.85) {
    if (rng.chance(MISROUTE_RATE)) return AUTO;
  }
  return t;
}
