/** Small hand-written events of the contract, for tests that need a few known ones. */
export function caseCreated(n: number, extra: Record<string, unknown> = {}) {
  return {
    event_id: `t-created-${n}`,
    type: 'case.created',
    ts: new Date(Date.UTC(2026, 10, 20, 9, 0, 0) + n * 1000).toISOString(),
    case_id: `case-${n}`,
    workflow: 'support_drafting',
    tier: 2,
    model_version: 'm-2026-09',
    confidence: 0.8,
    model_label: 'billing',
    risk_signals: ['external_comm'],
    features: { input_tokens: 120, language: 'en' },
    ...extra,
  };
}

export function reviewDecided(n: number, extra: Record<string, unknown> = {}) {
  return {
    event_id: `t-decided-${n}`,
    type: 'review.decided',
    ts: new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + n * 1000).toISOString(),
    case_id: `case-${n}`,
    workflow: 'support_drafting',
    actor_id: 'rev-support-01',
    actor_role: 'verifier',
    level: 1,
    decision: 'override',
    final_label: 'refund',
    reason_code: 'wrong_category',
    gate: { id: 'support-gate', checks: { evidence_attached: 'pass', tone_ok: 'na' } },
    ...extra,
  };
}
