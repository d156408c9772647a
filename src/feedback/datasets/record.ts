import type { DatasetCaseRow } from '../../store/query-rows.js';
import type { ExportOptions, SplitPart } from './options.js';
import type { Resolution } from './resolve.js';

/**
 * The flat record (formats jsonl, csv, parquet, arrow): one resolved case with the columns of
 * FLAT_COLUMNS, in that order. Times are RFC 3339 text so that every format writes the same.
 */
export interface FlatRecord {
  case_id: string;
  workflow: string | null;
  tier: number | null;
  lane: string | null;
  model_version: string | null;
  policy_version: string | null;
  prompt_version: string | null;
  created_at: string | null;
  input: string | null;
  model_output: string | null;
  model_label: string | null;
  final_output: string | null;
  final_label: string | null;
  decision: string;
  reason_code: string | null;
  resolution: string;
  agreed: boolean;
  votes: number;
  reviewer_id: string | null;
  reviewer_role: string | null;
  split: SplitPart | null;
  event_ids: string[];
}

export type ColumnType = 'string' | 'integer' | 'boolean' | 'string[]';

/** Column names and types of the flat record, in file order (the manifest's schema for the flat formats). */
export const FLAT_COLUMNS: readonly (readonly [keyof FlatRecord, ColumnType])[] = [
  ['case_id', 'string'],
  ['workflow', 'string'],
  ['tier', 'integer'],
  ['lane', 'string'],
  ['model_version', 'string'],
  ['policy_version', 'string'],
  ['prompt_version', 'string'],
  ['created_at', 'string'],
  ['input', 'string'],
  ['model_output', 'string'],
  ['model_label', 'string'],
  ['final_output', 'string'],
  ['final_label', 'string'],
  ['decision', 'string'],
  ['reason_code', 'string'],
  ['resolution', 'string'],
  ['agreed', 'boolean'],
  ['votes', 'integer'],
  ['reviewer_id', 'string'],
  ['reviewer_role', 'string'],
  ['split', 'string'],
  ['event_ids', 'string[]'],
];

/** Whether a case is inside the request's usual cuts (on the case as created and triaged). */
export function caseInCuts(row: DatasetCaseRow, o: ExportOptions): boolean {
  if (o.workflow !== undefined && row.workflow !== o.workflow) return false;
  if (o.tier !== undefined && row.tier !== o.tier) return false;
  if (o.lane !== undefined && row.lane !== o.lane) return false;
  if (o.model_version !== undefined && row.model_version !== o.model_version) return false;
  if (o.policy_version !== undefined && row.policy_version !== o.policy_version) return false;
  // the window is on the case's creation, as the case-level metrics cut it
  if (o.from && (!row.created_at || row.created_at < o.from)) return false;
  if (o.to && (!row.created_at || row.created_at >= o.to)) return false;
  return true;
}

/** Whether a case's answer is inside the dataset's own cuts (decisions, reason codes). */
export function answerInCuts(r: Resolution, o: ExportOptions): boolean {
  if (o.decision && !o.decision.includes(r.decision)) return false;
  if (o.reason_code && (r.reasonCode === null || !o.reason_code.includes(r.reasonCode))) return false;
  return true;
}

export function flatRecord(row: DatasetCaseRow, r: Resolution, split: SplitPart | null, reviewer: string | null): FlatRecord {
  const eventIds = [row.created_event_id, row.triage_event_id, ...r.eventIds].filter((id): id is string => id !== null);
  return {
    case_id: row.case_id,
    workflow: row.workflow,
    tier: row.tier,
    lane: row.lane,
    model_version: row.model_version,
    policy_version: r.policyVersion ?? row.policy_version,
    prompt_version: row.prompt_version,
    created_at: row.created_at ? row.created_at.toISOString() : null,
    input: row.input,
    model_output: row.model_output,
    model_label: row.model_label,
    final_output: r.output,
    final_label: r.label,
    decision: r.decision,
    reason_code: r.reasonCode,
    resolution: r.rule,
    agreed: r.agreed,
    votes: r.votes,
    reviewer_id: reviewer,
    reviewer_role: r.reviewerRole,
    split,
    event_ids: eventIds,
  };
}
