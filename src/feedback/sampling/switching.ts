import { normalRate, type SamplingConfig } from '../../config/sampling.js';
import type { SamplingCause, SamplingState } from '../../events/vocabulary.js';

/** What one window (the lot) showed for one workflow. */
export interface WindowVerdict {
  start: Date;
  end: Date;
  /** Drift checks that flagged and count (config `driftChecks`); empty: none. */
  drift: string[];
  audits: number;
  incorrect: number;
  /** False when there was nothing to judge: no drift verdict and too few audits. */
  judged: boolean;
  failed: boolean;
  /** Why it failed: drift first (it is the earlier warning), else audit defects. */
  cause: 'drift' | 'audit_defects' | null;
}

export interface Transition {
  to_state: SamplingState;
  to_rate: number;
  cause: SamplingCause;
  detail: string;
}

/** Judges a window's numbers against the configured limits. */
export function verdict(config: SamplingConfig, start: Date, end: Date, drift: { judged: boolean; checks: string[] }, audits: number, incorrect: number): WindowVerdict {
  const { maxRate, minAudits } = config.defects;
  const enoughAudits = audits >= minAudits;
  const defects = enoughAudits && incorrect / audits > maxRate;
  const drifted = drift.checks.length > 0;
  const judged = drift.judged || enoughAudits;
  return { start, end, drift: drift.checks, audits, incorrect, judged, failed: drifted || defects, cause: drifted ? 'drift' : defects ? 'audit_defects' : null };
}

/**
 * The ANSI/ASQ Z1.4 / ISO 2859-1 switching rules over the judged windows since the last change
 * (ascending, the last one just ended), one step at a time (docs/sampling.md#switching-rules):
 * - reduced -> normal when a window fails;
 * - `tighten.failed` of the last `tighten.of` windows failed -> one rung up the tightened rates
 *   (from normal: the first rung; at the ceiling it stays);
 * - `relax.cleanWindows` clean windows in a row -> one rung down (from the first: normal);
 * - normal, `reduce.cleanWindows` clean windows in a row -> reduced.
 * A change starts a new history: every count restarts from the window after it.
 */
export function nextStep(config: SamplingConfig, workflow: string, state: SamplingState, rate: number, history: readonly WindowVerdict[]): Transition | null {
  const judged = history.filter((w) => w.judged);
  const last = judged.at(-1);
  if (!last || last.end.getTime() !== history.at(-1)!.end.getTime()) return null;
  const normal = normalRate(config, workflow);
  const ladder = config.tightenedRates;
  if (state === 'reduced') {
    return last.failed ? { to_state: 'normal', to_rate: normal, cause: last.cause!, detail: `${describe(last)}: back to normal inspection` } : null;
  }
  const recent = judged.slice(-config.tighten.of);
  const failed = recent.filter((w) => w.failed);
  if (failed.length >= config.tighten.failed && last.failed) {
    const rung = state === 'tightened' ? rungOf(ladder, rate) : -1;
    if (rung + 1 >= ladder.length) return null;
    const latest = failed.at(-1)!;
    return {
      to_state: 'tightened',
      to_rate: ladder[rung + 1],
      cause: latest.cause!,
      detail: `${failed.length} of the last ${recent.length} windows failed; ${describe(latest)}`,
    };
  }
  let clean = 0;
  for (let i = judged.length - 1; i >= 0 && !judged[i].failed; i--) clean++;
  if (state === 'tightened' && clean >= config.relax.cleanWindows) {
    const rung = rungOf(ladder, rate);
    const down = rung <= 0 ? { to_state: 'normal' as const, to_rate: normal } : { to_state: 'tightened' as const, to_rate: ladder[rung - 1] };
    return { ...down, cause: 'clean_run', detail: `${clean} clean windows in a row` };
  }
  if (state === 'normal' && config.reduce.enabled && clean >= config.reduce.cleanWindows) {
    return { to_state: 'reduced', to_rate: config.reducedRate, cause: 'long_clean_run', detail: `${clean} clean windows in a row` };
  }
  return null;
}

/** The highest rung at or below the rate (a rate off the ladder, after a config change, counts as the rung under it). */
function rungOf(ladder: readonly number[], rate: number): number {
  let rung = 0;
  for (let i = 0; i < ladder.length; i++) if (ladder[i] <= rate + 1e-12) rung = i;
  return rung;
}

function describe(w: WindowVerdict): string {
  const window = `window ending ${w.end.toISOString().slice(0, 16)}Z`;
  if (w.cause === 'drift') return `drift (${w.drift.slice(0, 3).join(', ')}${w.drift.length > 3 ? ', ...' : ''}) in the ${window}`;
  return `${w.incorrect} of ${w.audits} audits incorrect in the ${window}`;
}
