import { normalRate, type SamplingConfig } from '../../config/sampling.js';
import { SAMPLING_CAUSES, SAMPLING_STATES, type SamplingCause, type SamplingState } from '../../events/vocabulary.js';
import type { SamplingChangeRow } from '../../store/query-rows.js';

/** A stored sampling.changed, its attrs read back into fields. */
export interface SamplingChange {
  event_id: string;
  workflow: string;
  ts: Date;
  actor_id: string | null;
  actor_role: string | null;
  from_state: SamplingState;
  to_state: SamplingState;
  from_rate: number;
  to_rate: number;
  cause: SamplingCause;
  detail: string | null;
  expires_at: Date | null;
}

export interface SamplingOverride {
  rate: number;
  until: Date;
  set_at: Date;
  set_by: string | null;
  detail: string | null;
}

/** A workflow's sampling now, derived from its latest sampling.changed (none: the configured normal). */
export interface SamplingStatus {
  workflow: string;
  state: SamplingState;
  /** The rate in force: an override's while one lasts, else the state's. */
  rate: number;
  /** The rate the switching rules manage: the state's, under any override. */
  state_rate: number;
  /** When the state and rate in force began: the latest change (null: never changed). */
  since: Date | null;
  last_change: SamplingChange | null;
  override: SamplingOverride | null;
  /** An override that has ended but whose end is not recorded yet (the controller records it). */
  expired_override: SamplingChange | null;
}

const STATES: ReadonlySet<string> = new Set(SAMPLING_STATES);
const CAUSES: ReadonlySet<string> = new Set(SAMPLING_CAUSES);

/**
 * Reads a stored row. Only the controller and the override route write this type, through the
 * validator, so the fields are there; a row that still lacks them (written by hand, with a
 * contract of another version) is skipped rather than trusted.
 */
export function changeFromRow(row: SamplingChangeRow): SamplingChange | null {
  let a: Record<string, unknown>;
  try {
    a = row.attrs ? (JSON.parse(row.attrs) as Record<string, unknown>) : {};
  } catch {
    return null;
  }
  const rate = (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : null);
  const [fromRate, toRate] = [rate(a.from_rate), rate(a.to_rate)];
  if (!STATES.has(a.from_state as string) || !STATES.has(a.to_state as string) || !CAUSES.has(a.cause as string) || fromRate === null || toRate === null) return null;
  const expires = typeof a.expires_at === 'string' ? new Date(a.expires_at.toUpperCase()) : null;
  return {
    event_id: row.event_id,
    workflow: row.workflow,
    ts: row.ts,
    actor_id: row.actor_id,
    actor_role: row.actor_role,
    from_state: a.from_state as SamplingState,
    to_state: a.to_state as SamplingState,
    from_rate: fromRate,
    to_rate: toRate,
    cause: a.cause as SamplingCause,
    detail: typeof a.detail === 'string' ? a.detail : null,
    expires_at: expires && Number.isFinite(expires.getTime()) ? expires : null,
  };
}

export function statusOf(workflow: string, latest: SamplingChange | null, config: SamplingConfig, now: Date): SamplingStatus {
  if (!latest) {
    const rate = normalRate(config, workflow);
    return { workflow, state: 'normal', rate, state_rate: rate, since: null, last_change: null, override: null, expired_override: null };
  }
  const base = { workflow, state: latest.to_state, since: latest.ts, last_change: latest, override: null, expired_override: null };
  if (latest.cause !== 'manual_override') return { ...base, rate: latest.to_rate, state_rate: latest.to_rate };
  // an override pins the rate; the state's own rate is the one it replaced
  if (latest.expires_at && latest.expires_at > now) {
    const override = { rate: latest.to_rate, until: latest.expires_at, set_at: latest.ts, set_by: latest.actor_id, detail: latest.detail };
    return { ...base, rate: latest.to_rate, state_rate: latest.from_rate, override };
  }
  // ended: the state's rate is back at once, whether or not its end is recorded yet
  return { ...base, rate: latest.from_rate, state_rate: latest.from_rate, since: latest.expires_at ?? latest.ts, expired_override: latest };
}
