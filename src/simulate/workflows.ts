import { type Rng, Weighted, weighted } from './random.js';

/**
 * The three simulated deployments. Each profile says what arrives (tiers, categories, risk
 * signals, features, texts) and how the model behaves before and after drift; the routing
 * rules live in triage.ts and the people in reviewers.ts.
 */
export const WORKFLOW_NAMES = ['support_drafting', 'it_access_requests', 'finance_adjustments'] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];
export type Tier = 1 | 2 | 3;
export type Features = Record<string, number | string>;

export interface PoolSizes {
  verifiers: number;
  rubberStampers: number;
  approvers: number;
  specialists: number;
  auditors: number;
}

export interface WorkflowProfile {
  name: WorkflowName;
  /** Used in reviewer, gate and auditor ids: `rev-support-07`. */
  short: string;
  arrivalWeight: number;
  /** Every category, including those that only appear after drift. */
  labels: readonly string[];
  mix: Weighted<string>;
  driftMix: Weighted<string>;
  /** Categories the deployed model was never trained on: it cannot name them. */
  novel: ReadonlySet<string>;
  /** The categories the model can name (all but the novel ones). */
  known: readonly string[];
  actions: Readonly<Record<string, string>>;
  confidence: readonly [alpha: number, beta: number];
  driftConfidence: readonly [alpha: number, beta: number];
  policyVersion: string;
  promptVersion: string;
  /** Rate of an unknown top-level `ticket_url`, so that `attrs` is exercised. */
  ticketUrlRate: number;
  overrideReasons: Weighted<string>;
  rejectReasons: Weighted<string>;
  pools: PoolSizes;
  /** Tier and features together: for finance the amount decides the tier. */
  draw(rng: Rng, drifted: boolean): { tier: Tier; features: Features };
  risks(rng: Rng, tier: Tier, label: string, features: Features): string[];
  creator(rng: Rng): { id: string; role?: 'system' };
  input(label: string, features: Features, n: number): string;
  output(action: string, label: string): string;
}

export const MODEL_VERSION = 'gpt-x-2026-09';
export const DRIFT_MODEL_VERSION = 'gpt-x-2026-11';

function categories(spec: Record<string, [before: number, after: number, action: string]>) {
  const entries = Object.entries(spec);
  return {
    labels: entries.map(([l]) => l),
    mix: new Weighted(entries.map(([l, [b]]) => [l, b] as const)),
    driftMix: new Weighted(entries.map(([l, [, a]]) => [l, a] as const)),
    novel: new Set(entries.filter(([, [b]]) => b === 0).map(([l]) => l)),
    known: entries.filter(([, [b]]) => b > 0).map(([l]) => l),
    actions: Object.fromEntries(entries.map(([l, [, , act]]) => [l, act])),
  };
}

const spelled = new Map<string, string>();
// called several times per case: the regex replace showed in profiles, so results are kept
const humanText = (label: string) => {
  let text = spelled.get(label);
  if (text === undefined) spelled.set(label, (text = label.replace(/_/g, ' ')));
  return text;
};
const tokens = (rng: Rng, median: number) => Math.max(12, Math.round(rng.lognormal(median, 0.55)));

const supportTiers = new Weighted<Tier>([[1, 0.55], [2, 0.43], [3, 0.02]]);
const supportLanguage = weighted({ en: 0.64, de: 0.12, fr: 0.1, es: 0.09, ja: 0.05 });
const supportLanguageDrift = weighted({ en: 0.46, de: 0.12, fr: 0.1, es: 0.22, ja: 0.1 });
const segment = weighted({ consumer: 0.5, smb: 0.3, enterprise: 0.2 });
const channel = weighted({ email: 0.5, chat: 0.35, web_form: 0.15 });

const support: WorkflowProfile = {
  name: 'support_drafting',
  short: 'support',
  arrivalWeight: 0.45,
  ...categories({
    billing_question: [0.22, 0.15, 'send_reply'],
    refund_request: [0.16, 0.14, 'send_refund_macro'],
    technical_issue: [0.2, 0.17, 'send_troubleshooting'],
    account_access: [0.12, 0.16, 'send_reset_link'],
    feature_request: [0.08, 0.05, 'log_feedback'],
    complaint: [0.1, 0.14, 'send_apology'],
    cancellation: [0.07, 0.06, 'send_retention_offer'],
    shipping_status: [0.05, 0.04, 'send_tracking'],
    outage_report: [0, 0.09, 'send_status_update'],
  }),
  confidence: [12, 2],
  driftConfidence: [6, 2.5],
  policyVersion: 'pol-2026.3',
  promptVersion: 'support-draft-v14',
  ticketUrlRate: 0.12,
  overrideReasons: weighted({ wrong_category: 0.42, tone: 0.2, factual_error: 0.2, missing_context: 0.12, other: 0.06 }),
  rejectReasons: weighted({ policy_violation: 0.3, sensitive_data: 0.25, factual_error: 0.3, insufficient_evidence: 0.15 }),
  pools: { verifiers: 16, rubberStampers: 2, approvers: 3, specialists: 3, auditors: 2 },
  draw(rng, drifted) {
    const tier = supportTiers.draw(rng);
    const features: Features = {
      input_tokens: tokens(rng, drifted ? 520 : 320),
      language: (drifted ? supportLanguageDrift : supportLanguage).draw(rng),
      customer_segment: segment.draw(rng),
      channel: channel.draw(rng),
    };
    return { tier, features };
  },
  risks(rng, tier, label) {
    const r: string[] = [];
    if (rng.chance(label === 'account_access' ? 0.3 : 0.04)) r.push('pii');
    if (rng.chance(0.003)) r.push('phi');
    if (tier >= 2 && rng.chance(0.5)) r.push('external_comm');
    if (rng.chance(label === 'complaint' ? 0.04 : 0.003) || tier === 3) r.push('legal');
    return r;
  },
  creator: () => ({ id: 'svc-support-drafter', role: 'system' }),
  input: (label, f, n) => `Customer (${f.customer_segment}, ${f.language}) writes about ${humanText(label)}, ticket ${100000 + n}.`,
  output: (action, label) => `Draft reply [${action}]: thanks for reaching out about your ${humanText(label)}.`,
};

const ACCESS_LABELS: ReadonlySet<string> = new Set(['group_membership', 'vpn_access', 'privileged_access', 'offboarding', 'mfa_reset']);
const itTiers = new Weighted<Tier>([[1, 0.05], [2, 0.55], [3, 0.4]]);
const department = weighted({ engineering: 0.35, sales: 0.2, finance: 0.12, hr: 0.08, operations: 0.25 });
const departmentDrift = weighted({ engineering: 0.25, sales: 0.35, finance: 0.12, hr: 0.08, operations: 0.2 });
const system = weighted({ okta: 0.3, github: 0.2, aws: 0.15, salesforce: 0.15, vpn: 0.2 });

const it: WorkflowProfile = {
  name: 'it_access_requests',
  short: 'it',
  arrivalWeight: 0.3,
  ...categories({
    password_reset: [0.28, 0.22, 'reset_password'],
    software_install: [0.2, 0.15, 'install_software'],
    group_membership: [0.16, 0.19, 'grant_group'],
    vpn_access: [0.1, 0.08, 'grant_vpn'],
    hardware_request: [0.1, 0.07, 'order_hardware'],
    privileged_access: [0.06, 0.1, 'grant_admin'],
    account_unlock: [0.07, 0.06, 'unlock_account'],
    offboarding: [0.03, 0.05, 'revoke_all_access'],
    mfa_reset: [0, 0.08, 'reset_mfa'],
  }),
  confidence: [9, 2],
  driftConfidence: [5, 2.5],
  policyVersion: 'pol-2026.2',
  promptVersion: 'it-access-v7',
  ticketUrlRate: 0.08,
  overrideReasons: weighted({ wrong_category: 0.4, insufficient_evidence: 0.25, policy_violation: 0.2, missing_context: 0.15 }),
  rejectReasons: weighted({ policy_violation: 0.45, insufficient_evidence: 0.35, sensitive_data: 0.1, other: 0.1 }),
  pools: { verifiers: 8, rubberStampers: 1, approvers: 5, specialists: 3, auditors: 2 },
  draw(rng, drifted) {
    const tier = itTiers.draw(rng);
    const features: Features = {
      input_tokens: tokens(rng, drifted ? 240 : 180),
      department: (drifted ? departmentDrift : department).draw(rng),
      target_system: system.draw(rng),
      requester_tenure_years: Math.round(rng.exponential(3.5) * 10) / 10,
    };
    return { tier, features };
  },
  risks(rng, _tier, label) {
    const r: string[] = [];
    if (ACCESS_LABELS.has(label) || rng.chance(0.05)) r.push('access_change');
    if (rng.chance(0.04)) r.push('pii');
    if (label === 'offboarding' && rng.chance(0.1)) r.push('legal');
    return r;
  },
  creator: (rng) => ({ id: `emp-${String(1000 + rng.int(9000))}` }),
  input: (label, f, n) => `Request ${200000 + n} from ${f.department}: ${humanText(label)} on ${f.target_system}.`,
  output: (action, label) => `Recommended action ${action} for ${humanText(label)}, evidence attached.`,
};

const currency = weighted({ USD: 0.55, EUR: 0.3, GBP: 0.15 });
const currencyDrift = weighted({ USD: 0.4, EUR: 0.35, GBP: 0.15, JPY: 0.1 });

const finance: WorkflowProfile = {
  name: 'finance_adjustments',
  short: 'finance',
  arrivalWeight: 0.25,
  ...categories({
    duplicate_charge: [0.22, 0.17, 'refund'],
    late_fee_waiver: [0.18, 0.14, 'waive_fee'],
    goodwill_credit: [0.2, 0.16, 'post_credit'],
    pricing_error: [0.15, 0.13, 'post_adjustment'],
    tax_correction: [0.08, 0.08, 'correct_tax'],
    write_off: [0.07, 0.1, 'write_off'],
    chargeback: [0.1, 0.12, 'contest_chargeback'],
    fx_adjustment: [0, 0.1, 'post_fx_adjustment'],
  }),
  confidence: [8, 2],
  driftConfidence: [4.5, 2.5],
  policyVersion: 'pol-2026.3',
  promptVersion: 'finance-adj-v3',
  ticketUrlRate: 0.05,
  overrideReasons: weighted({ wrong_category: 0.35, factual_error: 0.25, insufficient_evidence: 0.25, policy_violation: 0.15 }),
  rejectReasons: weighted({ policy_violation: 0.4, insufficient_evidence: 0.4, factual_error: 0.2 }),
  pools: { verifiers: 8, rubberStampers: 1, approvers: 4, specialists: 3, auditors: 2 },
  draw(rng, drifted) {
    // a wide lognormal: mostly small credits, a long tail of large adjustments
    const amount = Math.round(rng.lognormal(drifted ? 800 : 600, 1.8) * 100) / 100;
    const tier: Tier = amount < 25 ? 1 : amount < 1000 ? 2 : 3;
    const features: Features = {
      input_tokens: tokens(rng, 260),
      amount,
      currency: (drifted ? currencyDrift : currency).draw(rng),
      customer_segment: segment.draw(rng),
    };
    return { tier, features };
  },
  risks(rng, tier, label) {
    const r: string[] = [];
    if (tier >= 2) r.push('financial');
    if (rng.chance(0.04)) r.push('pii');
    if (rng.chance(label === 'chargeback' ? 0.15 : 0.004)) r.push('legal');
    return r;
  },
  creator: (rng) => ({ id: `fin-clerk-${String(1 + rng.int(12)).padStart(2, '0')}` }),
  input: (label, f, n) => `Adjustment ${300000 + n}: ${humanText(label)} of ${f.amount} ${f.currency} for a ${f.customer_segment} account.`,
  output: (action, label) => `Proposed ${action} for ${humanText(label)}; ledger entry prepared.`,
};

export const WORKFLOWS: Readonly<Record<WorkflowName, WorkflowProfile>> = {
  support_drafting: support,
  it_access_requests: it,
  finance_adjustments: finance,
};
