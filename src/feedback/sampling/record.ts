import { LoopwatchError } from '../../errors.js';
import type { Validator } from '../../events/validate.js';
import type { SamplingCause, SamplingState } from '../../events/vocabulary.js';
import type { EventWriter } from '../../ingest/event-writer.js';
import { ingestBatch } from '../../ingest/ingest-batch.js';

export interface ChangeSpec {
  workflow: string;
  at: Date;
  from: { state: SamplingState; rate: number };
  to: { state: SamplingState; rate: number };
  cause: SamplingCause;
  detail?: string;
  expiresAt?: Date;
  actorId?: string;
  actorRole?: string;
}

const DETAIL_MAX = 256;

/** A sampling.changed (docs/events.md); its id makes a repeated decision a duplicate. */
export function changeEvent(c: ChangeSpec): Record<string, unknown> {
  const ts = c.at.toISOString();
  return {
    event_id: `sampling-${c.workflow}-${ts}`,
    ts,
    type: 'sampling.changed',
    workflow: c.workflow,
    actor_role: c.actorRole ?? 'system',
    ...(c.actorId ? { actor_id: c.actorId } : {}),
    from_state: c.from.state,
    to_state: c.to.state,
    from_rate: c.from.rate,
    to_rate: c.to.rate,
    cause: c.cause,
    ...(c.detail ? { detail: c.detail.slice(0, DETAIL_MAX) } : {}),
    ...(c.expiresAt ? { expires_at: c.expiresAt.toISOString() } : {}),
  };
}

/**
 * Stores changes through the ingest path (validation, group commit, the hash chain), like any
 * sent event. The events are built here, so a rejection is a bug or an input the caller should
 * have refused (a workflow name too long for an id): it is thrown, naming the field.
 */
export async function recordChanges(ctx: { validate: Validator; writer: EventWriter }, events: readonly Record<string, unknown>[]): Promise<void> {
  if (events.length === 0) return;
  const result = await ingestBatch(events, ctx);
  if (result.rejected > 0) {
    throw new LoopwatchError('invalid_sampling_change', `the sampling change could not be recorded: ${result.errors.map((e) => e.reason).join('; ')}`);
  }
}
