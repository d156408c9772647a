import type { EventRow } from '../events/row.js';

/**
 * Rows of the governance review's queries (sql/<engine>/review/, docs/review.md), typed as
 * query-rows.ts types the metric queries: numbers as numbers, times as Date, JSON columns as
 * the text they are stored as.
 */
export type DisagreementRow = {
  case_id: string;
  workflow: string | null;
  tier: number | null;
  lane: string | null;
  created_at: Date;
  reviewer_a: string;
  label_a: string;
  reason_a: string | null;
  reviewer_b: string;
  label_b: string;
  reason_b: string | null;
  model_label: string | null;
  final_label: string | null;
  audit_verdict: string | null;
  adjudicated_label: string | null;
};

export type LogEventRow = {
  event_id: string;
  type: string;
  ts: Date;
  workflow: string | null;
  case_id: string | null;
  actor_id: string | null;
  actor_role: string | null;
  trigger: string | null;
  severity: string | null;
  /** JSON text. */
  attrs: string | null;
};

export type VersionRow = { workflow: string | null; kind: 'model_version' | 'policy_version'; version: string; first_seen: Date; last_seen: Date; events: number };

export type ReviewerProgressRow = { reviewer: string; assigned: number; done: number; adjudicated: number; agreed: number };

/** One workflow's cases in one confidence bin (floor of confidence × 1000). */
export type WhatIfBinRow = {
  workflow: string | null;
  bin: number;
  cases: number;
  /** Cases triaged into a lane a person works (not auto_approve, not reject). */
  human_lane_cases: number;
  eligible: number;
  auto_cases: number;
  reviewed_cases: number;
  human_n: number;
  human_wrong: number;
  audit_n: number;
  audit_w: number;
  audit_wy: number;
  audit_w2: number;
  review_seconds: number;
  /** Reviewed eligible cases with at least one timed decision (review_seconds is their sum). */
  review_timed: number;
};

export type CaseTrailRow = Omit<EventRow, 'ts' | 'received_at' | 'type' | 'case_id' | 'prompt_version' | 'model_action' | 'features' | 'input' | 'output' | 'final_output'> & {
  type: string;
  ts: Date;
  received_at: Date;
};

export type SimilarCaseRow = {
  case_id: string;
  created_at: Date;
  tier: number | null;
  lane: string | null;
  confidence: number | null;
  model_label: string | null;
  final_label: string | null;
  outcome: string | null;
  audit_verdict: string | null;
  escalations: number;
  reopens: number;
};
