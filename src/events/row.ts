import type { EventType } from './vocabulary.js';

/**
 * One stored event: the typed columns of the raw event log, shared by every store.
 * Fields absent from an event are null. `ts` and `received_at` are UTC epoch milliseconds.
 */
export interface EventRow {
  event_id: string;
  type: EventType;
  ts: number;
  received_at: number;
  case_id: string | null;
  workflow: string | null;
  actor_id: string | null;
  actor_role: string | null;
  policy_version: string | null;
  tier: number | null;
  model_version: string | null;
  prompt_version: string | null;
  confidence: number | null;
  model_label: string | null;
  model_action: string | null;
  risk_signals: string[] | null;
  /** JSON text of the `features` object. */
  features: string | null;
  input: string | null;
  output: string | null;
  lane: string | null;
  rule_ids: string[] | null;
  sampled: boolean | null;
  sampling_rate: number | null;
  level: number | null;
  decision: string | null;
  final_label: string | null;
  final_output: string | null;
  reason_code: string | null;
  gate_id: string | null;
  /** JSON text of `gate.checks`. */
  gate_checks: string | null;
  from_level: number | null;
  to_level: number | null;
  trigger: string | null;
  outcome: string | null;
  verdict: string | null;
  correct_label: string | null;
  severity: string | null;
  /** JSON text: the event's `attrs` plus every field the contract does not name for its type. */
  attrs: string | null;
}

export type ColumnKind = 'varchar' | 'varchar_list' | 'json' | 'double' | 'tinyint' | 'boolean' | 'timestamp';

/** Column order and kinds, the single list both stores build their tables and appenders from. */
export const EVENT_COLUMNS: ReadonlyArray<readonly [keyof EventRow, ColumnKind]> = [
  ['event_id', 'varchar'],
  ['type', 'varchar'],
  ['ts', 'timestamp'],
  ['received_at', 'timestamp'],
  ['case_id', 'varchar'],
  ['workflow', 'varchar'],
  ['actor_id', 'varchar'],
  ['actor_role', 'varchar'],
  ['policy_version', 'varchar'],
  ['tier', 'tinyint'],
  ['model_version', 'varchar'],
  ['prompt_version', 'varchar'],
  ['confidence', 'double'],
  ['model_label', 'varchar'],
  ['model_action', 'varchar'],
  ['risk_signals', 'varchar_list'],
  ['features', 'json'],
  ['input', 'varchar'],
  ['output', 'varchar'],
  ['lane', 'varchar'],
  ['rule_ids', 'varchar_list'],
  ['sampled', 'boolean'],
  ['sampling_rate', 'double'],
  ['level', 'tinyint'],
  ['decision', 'varchar'],
  ['final_label', 'varchar'],
  ['final_output', 'varchar'],
  ['reason_code', 'varchar'],
  ['gate_id', 'varchar'],
  ['gate_checks', 'json'],
  ['from_level', 'tinyint'],
  ['to_level', 'tinyint'],
  ['trigger', 'varchar'],
  ['outcome', 'varchar'],
  ['verdict', 'varchar'],
  ['correct_label', 'varchar'],
  ['severity', 'varchar'],
  ['attrs', 'json'],
];
