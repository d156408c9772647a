import type { DatasetsConfig } from '../../config/datasets.js';
import type { FlatRecord } from './record.js';

/** Why a resolved case gave no example in a training format (counted in the manifest). */
export type ExampleSkip = 'no_input' | 'no_approved_answer' | 'no_model_answer' | 'not_a_correction';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type TrainingFormat = 'chat' | 'preference' | 'preference_trl' | 'kto';

const nonEmpty = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim() !== '';

/**
 * Turns resolved cases into a trainer's examples, exactly as its consumer documents them
 * (docs/datasets.md#formats). The answer is the label or the output text, per workflow
 * (datasets.workflows.<name>.target); the system turn is the workflow's configured prompt.
 */
export class ExampleBuilder {
  constructor(
    private readonly format: TrainingFormat,
    private readonly config: DatasetsConfig,
  ) {}

  /** The examples of one case (KTO gives two for a correction), or why there are none. */
  examples(r: FlatRecord): object[] | ExampleSkip {
    if (!nonEmpty(r.input)) return 'no_input';
    const wf = r.workflow ? this.config.workflows[r.workflow] : undefined;
    const target = wf?.target ?? 'label';
    const human = r.decision === 'reject' ? null : target === 'output' ? r.final_output : r.final_label;
    const model = target === 'output' ? r.model_output : r.model_label;
    const prompt: Message[] = wf?.systemPrompt ? [{ role: 'system', content: wf.systemPrompt }] : [];
    prompt.push({ role: 'user', content: r.input });
    const assistant = (content: string): Message[] => [{ role: 'assistant', content }];

    switch (this.format) {
      case 'chat':
        // the human-approved answer, never the model's rejected one
        if (!nonEmpty(human)) return 'no_approved_answer';
        return [{ messages: [...prompt, ...assistant(human)] }];
      case 'preference':
      case 'preference_trl': {
        if (r.decision !== 'override') return 'not_a_correction';
        if (!nonEmpty(human)) return 'no_approved_answer';
        if (!nonEmpty(model)) return 'no_model_answer';
        if (human === model) return 'not_a_correction';
        return this.format === 'preference'
          ? [{ input: { messages: prompt }, preferred_output: assistant(human), non_preferred_output: assistant(model) }]
          : [{ prompt, chosen: assistant(human), rejected: assistant(model) }];
      }
      case 'kto': {
        // approvals are positive examples; every rejected recommendation a negative one
        if (r.decision === 'approve') return nonEmpty(model) ? [{ prompt, completion: assistant(model), label: true }] : 'no_model_answer';
        const out: object[] = [];
        if (nonEmpty(model)) out.push({ prompt, completion: assistant(model), label: false });
        if (r.decision === 'override' && nonEmpty(human) && human !== model) out.push({ prompt, completion: assistant(human), label: true });
        return out.length > 0 ? out : 'no_model_answer';
      }
    }
  }
}

/** The manifest's schema of each training format: the keys of a line and what they hold. */
export const TRAINING_SCHEMAS: Record<TrainingFormat, Record<string, string>> = {
  chat: { messages: 'list of {role: system|user|assistant, content: string}: optional system turn, the user turn (input), the assistant turn last (the human-approved answer)' },
  preference: {
    input: '{messages: list of {role, content}}: optional system turn and the user turn (input)',
    preferred_output: 'list of one {role: assistant, content}: the human correction',
    non_preferred_output: "list of one {role: assistant, content}: the model's answer",
  },
  preference_trl: {
    prompt: 'list of {role, content}: optional system turn and the user turn (input)',
    chosen: 'list of one {role: assistant, content}: the human correction',
    rejected: "list of one {role: assistant, content}: the model's answer",
  },
  kto: {
    prompt: 'list of {role, content}: optional system turn and the user turn (input)',
    completion: 'list of one {role: assistant, content}',
    label: 'boolean: true for a human-approved answer, false for a rejected model answer',
  },
};
