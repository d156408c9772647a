import { Rng, weighted } from './random.js';
import type { WorkflowProfile } from './workflows.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export type Severity = 'sev1' | 'sev2' | 'sev3' | 'sev4';

/** One stop-the-line pause of a workflow, [stop, resume). Windows form a lazily grown list. */
export interface StopWindow {
  stop: number;
  resume: number;
  trigger: string;
  actorId: string;
  actorRole: 'approver' | 'system';
  resumeTrigger: string;
  /** An approver resumes the line once a fresh review is done, whoever stopped it. */
  resumeActorId: string;
  /** Some stops come with an incident report shortly after. */
  incident: Severity | null;
  next: StopWindow | null;
}

const triggers = weighted({ override_spike: 0.3, policy_breach: 0.2, sensitive_data_exposure: 0.2, unsafe_action: 0.15, manual: 0.15 });
const driftTriggers = weighted({ override_spike: 0.35, drift_alarm: 0.3, policy_breach: 0.1, sensitive_data_exposure: 0.1, unsafe_action: 0.1, manual: 0.05 });
const lineSeverity = weighted<Severity>({ sev1: 0.1, sev2: 0.4, sev3: 0.4, sev4: 0.1 });

/**
 * The stop-the-line schedule of one workflow. It is drawn from its own random stream, ahead
 * of the cases, because a case must know whether its line is stopped when it would be
 * decided or executed (and normally wait for the resume).
 */
export class LineSchedule {
  private readonly rng: Rng;
  private head: StopWindow;

  constructor(
    seed: number,
    readonly wf: WorkflowProfile,
    start: number,
    private readonly driftAt: number,
    private readonly approverIds: readonly string[],
  ) {
    this.rng = new Rng(seed, `lines:${wf.name}`);
    this.head = this.window(start);
  }

  /** The first window, for the track that emits line.stopped/resumed. */
  first(): StopWindow {
    return this.head;
  }

  next(w: StopWindow): StopWindow {
    if (w.next === null) {
      // only the last window lacks a successor, so windows are always drawn in time order
      w.next = this.window(w.resume);
    }
    return w.next;
  }

  /** The window containing `t`, if any. */
  windowAt(t: number): StopWindow | undefined {
    let w = this.head;
    while (w.stop <= t) {
      if (t < w.resume) return w;
      w = this.next(w);
    }
    return undefined;
  }

  /** Callers promise never to ask about times before `t` again (arrivals only move forward). */
  forget(t: number): void {
    while (this.head.resume < t) this.head = this.next(this.head);
  }

  private window(after: number): StopWindow {
    const rng = this.rng;
    // pauses are more frequent once the model drifts: the override spike trips the alarms
    const drifted = after >= this.driftAt;
    const stop = Math.round(after + rng.exponential(drifted ? 5 * HOUR : 12 * HOUR));
    const resume = stop + Math.round(rng.uniform(20, 90) * MINUTE);
    const trigger = (stop >= this.driftAt ? driftTriggers : triggers).draw(rng);
    const automatic = trigger === 'override_spike' || trigger === 'drift_alarm';
    return {
      stop,
      resume,
      trigger,
      actorId: automatic ? 'sys-loopwatch-guard' : rng.pick(this.approverIds),
      actorRole: automatic ? 'system' : 'approver',
      resumeTrigger: rng.chance(0.7) ? 'fresh_review_completed' : 'manual',
      resumeActorId: rng.pick(this.approverIds),
      incident: trigger !== 'manual' && rng.chance(0.3) ? lineSeverity.draw(rng) : null,
      next: null,
    };
  }
}

/** How long an incident report follows the stop that raised it. */
export const INCIDENT_AFTER_STOP = 3 * MINUTE;

const orgSeverity = weighted<Severity>({ sev1: 0.05, sev2: 0.15, sev3: 0.35, sev4: 0.45 });

/** Incidents not tied to one case or stop: an outage, a vendor breach, a near miss. */
export class OrgIncidents {
  private readonly rng: Rng;
  ts: number;

  constructor(seed: number, start: number, private readonly workflows: readonly string[]) {
    this.rng = new Rng(seed, 'incidents');
    this.ts = start + Math.round(this.rng.exponential(36 * HOUR));
  }

  /** The event due at `ts`, after which `ts` moves to the next one. */
  take(): Record<string, unknown> {
    const rng = this.rng;
    const severity = orgSeverity.draw(rng);
    const workflow = rng.chance(0.7) ? rng.pick(this.workflows) : undefined;
    const event: Record<string, unknown> = { event_id: '', type: 'incident.reported', ts: '' };
    if (workflow !== undefined) event.workflow = workflow;
    event.actor_id = `oncall-${String(1 + rng.int(6)).padStart(2, '0')}`;
    event.actor_role = 'specialist';
    event.severity = severity;
    this.ts += Math.round(rng.exponential(36 * HOUR));
    return event;
  }
}
