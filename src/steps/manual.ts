import type { StepSpecOf } from '../runbook/schema.js';
import type { StepDefinition } from './types.js';
import { manualJournal } from './checks.journal.js';

type Spec = StepSpecOf<'manual'>;

/** A checklist item: the operator's confirmation is the step. Nothing to undo. */
export const manual: StepDefinition<Spec> = {
  type: 'manual',
  journal: manualJournal,
  mutating: false,
  title: (spec) => spec.text,
  describe: (spec) => [{ service: 'operator', operation: 'Checklist', params: { text: spec.text } }],
  describeUndo: () => [],
  run: () => Promise.resolve({ acknowledged: true }),
  verify: () => Promise.resolve({ holds: true, detail: 'acknowledged by the operator' }),
};
