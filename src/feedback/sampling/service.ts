import type { Logger } from 'pino';
import type { SamplingConfig } from '../../config/sampling.js';
import { LoopwatchError } from '../../errors.js';
import type { Validator } from '../../events/validate.js';
import { ACTOR_ROLES } from '../../events/vocabulary.js';
import type { EventWriter } from '../../ingest/event-writer.js';
import { Q } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { decide } from './decide.js';
import { changeEvent, recordChanges } from './record.js';
import { changeFromRow, statusOf, type SamplingChange, type SamplingStatus } from './status.js';

export interface SamplingDeps {
  store: Store;
  writer: EventWriter;
  validate: Validator;
  config: SamplingConfig;
  logger: Logger;
  clock?: () => Date;
  /** How long the latest changes read from the store are reused by decide and status (default 2 s). */
  cacheMs?: number;
}

export interface Decision {
  workflow: string;
  case_id: string;
  sample: boolean;
  rate: number;
  state: SamplingStatus['state'];
}

export interface OverrideRequest {
  rate: number;
  until: Date;
  actorId?: string;
  actorRole?: string;
  detail?: string;
}

/**
 * The sampling state of every workflow as the stored events say, the decide answer, and manual
 * overrides. State lives only in the event log (the latest sampling.changed per workflow): a
 * restart, a second server or another engine read the same.
 */
export class SamplingService {
  readonly clock: () => Date;
  private cache: { at: number; rows: Map<string, SamplingChange> } | undefined;
  /** Workflows the controller has judged: listed (normal, at their rate) before their first change. */
  readonly known = new Set<string>();

  constructor(readonly deps: SamplingDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** The latest change of each workflow as of `now` (cached briefly for decide's sake). */
  async latest(now = this.clock()): Promise<Map<string, SamplingChange>> {
    const cacheMs = this.deps.cacheMs ?? 2_000;
    if (this.cache && Date.now() - this.cache.at < cacheMs) return this.cache.rows;
    const rows = await this.deps.store.query(Q.samplingLatest, { workflow: null, to: new Date(now.getTime() + 1) });
    const map = new Map<string, SamplingChange>();
    for (const row of rows) {
      const change = changeFromRow(row);
      if (change) map.set(change.workflow, change);
      else this.deps.logger.warn({ event_id: row.event_id }, 'a sampling.changed without its fields is ignored');
    }
    this.cache = { at: Date.now(), rows: map };
    return map;
  }

  forget(): void {
    this.cache = undefined;
  }

  async status(workflow: string, now = this.clock()): Promise<SamplingStatus> {
    return statusOf(workflow, (await this.latest(now)).get(workflow) ?? null, this.deps.config, now);
  }

  async statuses(now = this.clock()): Promise<SamplingStatus[]> {
    const latest = await this.latest(now);
    return [...new Set([...latest.keys(), ...this.known])].sort().map((w) => statusOf(w, latest.get(w) ?? null, this.deps.config, now));
  }

  async decide(workflow: string, caseId: string): Promise<Decision> {
    const s = await this.status(workflow);
    return { workflow, case_id: caseId, sample: decide(caseId, s.rate), rate: s.rate, state: s.state };
  }

  /** A workflow's sampling changes in [from, to), oldest first: its sampling audit trail. */
  async history(workflow: string | null, from: Date | null, to: Date | null): Promise<SamplingChange[]> {
    const rows = await this.deps.store.query(Q.samplingChanges, { workflow, from, to });
    return rows.map(changeFromRow).filter((c): c is SamplingChange => c !== null);
  }

  /** Pins a workflow's rate until `until`; the state's own rate returns then (cause override_expired). */
  async setOverride(workflow: string, o: OverrideRequest): Promise<SamplingStatus> {
    const now = this.clock();
    const problems: string[] = [];
    if (!(o.rate > 0 && o.rate <= 1)) problems.push(`rate: expected a number above 0 and at most 1, got ${o.rate}`);
    if (!(o.until instanceof Date) || !Number.isFinite(o.until.getTime()) || o.until <= now) problems.push('until: expected an RFC 3339 time in the future');
    if (o.actorRole !== undefined && !(ACTOR_ROLES as readonly string[]).includes(o.actorRole)) problems.push(`actor_role: expected one of ${ACTOR_ROLES.join(', ')}`);
    if (problems.length) throw new LoopwatchError('invalid_override', `invalid sampling override: ${problems.join('; ')}`);
    this.forget();
    const current = await this.status(workflow, now);
    const event = changeEvent({
      workflow,
      at: now,
      from: { state: current.state, rate: current.state_rate },
      to: { state: current.state, rate: o.rate },
      cause: 'manual_override',
      detail: o.detail ?? `rate set to ${o.rate} until ${o.until.toISOString()}`,
      expiresAt: o.until,
      actorId: o.actorId,
      actorRole: o.actorRole,
    });
    await recordChanges(this.deps, [event]);
    this.forget();
    return this.status(workflow, now);
  }
}
