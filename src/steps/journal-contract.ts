import * as z from 'zod';
import { BugError, UsageError } from '../domain/errors.js';
import type { StepOutputs } from '../domain/types.js';

/**
 * What a step journals, declared: its compensation state (`before`, journaled with each intent:
 * what the step is about to overwrite) and its outputs (journaled with each result and, with the
 * compensation state over them, with `step-succeeded`). Both are objects whose every field is
 * optional: one call journals part of them, an in-doubt step only some. The journal checks them at
 * the boundary: a step that writes what it did not declare is a bug (`StepContract`), and a journal
 * whose state is not what this version reads is refused before anything is undone
 * (`JournalMismatch`, naming the step, the field and what was expected).
 */
export interface StepJournal<B extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly before: B;
  readonly outputs: O;
  /** The two together: what an undo, a later attempt or the next step reads. */
  readonly state: z.ZodObject;
}

/** The state an undo reads, typed: every field of `before` and of the outputs, each optional. */
export type JournaledState<J extends StepJournal> = Partial<z.output<J['before']>> & Partial<z.output<J['outputs']>>;

export function stepJournal<B extends z.ZodObject, O extends z.ZodObject>(before: B, outputs: O): StepJournal<B, O> {
  const catchall = before.def.catchall ?? outputs.def.catchall;
  const shape = z.object({ ...before.shape, ...outputs.shape });
  return {
    before,
    outputs,
    state: catchall === undefined || catchall instanceof z.ZodNever ? shape.strict() : shape.catchall(catchall),
  };
}

/** A JSON value as journaled: anything, checked by the consumer (an AWS action, a record). */
export const json = z.custom<StepOutputs[string]>(() => true);

/** A listener or rule action as journaled (an ELBv2 action object). */
export const listenerAction = z.looseObject({ Type: z.string() });

/** A target as journaled: `null` where the API gave no port or AZ. */
export const targetJson = z.object({
  id: z.string(),
  port: z.number().nullable().optional(),
  availabilityZone: z.string().nullable().optional(),
});

/** Which field, and what was expected there, in words (`previousActions[0].Type: expected string, got number`). */
function issueText(issue: z.core.$ZodIssue): string {
  const field =
    issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') ||
    '(the whole state)';
  const detail =
    issue.code === 'unrecognized_keys'
      ? `not a field of this step (${issue.keys.join(', ')})`
      : issue.message.replace(/^Invalid input: /, '').replace(', received ', ', got ');
  return `${field}: ${detail}`;
}

export interface JournaledStepRef {
  readonly id: string;
  readonly type: string;
}

/**
 * Check a journal's state of one step (read back): its compensation state and its outputs with it.
 * Throws `JournalMismatch` (nothing has been done yet); returns the state, typed by the caller.
 */
export function checkJournaled(
  journal: StepJournal,
  step: JournaledStepRef,
  compensation: StepOutputs,
  state: StepOutputs,
): void {
  const parts: [string, z.ZodType, StepOutputs][] = [
    ['compensation state', loose(journal.before), compensation],
    ['state', loose(journal.state), state],
  ];
  for (const [part, schema, value] of parts) {
    const result = schema.safeParse(value);
    if (result.success) continue;
    const problems = result.error.issues.map(issueText);
    throw new UsageError(
      `The journal's ${part} of step ${step.id} (${step.type}) is not what this version of hotspare reads: ${problems.join('; ')}. Nothing was changed.`,
      {
        code: 'JournalMismatch',
        nextSteps: `Roll the run back with the version of hotspare that started it, or undo step ${step.id} by hand and run \`hotspare abandon RUNBOOK\`.`,
      },
    );
  }
}

function loose(schema: z.ZodObject): z.ZodObject {
  const catchall = schema.def.catchall;
  return catchall === undefined || catchall instanceof z.ZodNever ? schema.loose() : schema;
}

/** Check what a step is about to journal against its own contract (written): a mismatch is a bug in the step. */
export function checkWritten(
  journal: StepJournal,
  part: 'before' | 'outputs' | 'state',
  step: JournaledStepRef,
  value: StepOutputs | undefined,
): void {
  if (value === undefined) return;
  const schema =
    part === 'before'
      ? strictUnlessCatchall(journal.before)
      : part === 'outputs'
        ? strictUnlessCatchall(journal.outputs)
        : journal.state;
  const result = schema.safeParse(value);
  if (result.success) return;
  throw new BugError(
    `Step ${step.id} (${step.type}) journaled ${part === 'before' ? 'compensation state' : part} its contract does not declare: ${result.error.issues.map(issueText).join('; ')}.`,
    {
      code: 'StepContract',
    },
  );
}

function strictUnlessCatchall(schema: z.ZodObject): z.ZodObject {
  const catchall = schema.def.catchall;
  return catchall === undefined || catchall instanceof z.ZodNever ? schema.strict() : schema;
}

/** The journaled state as the step's undo reads it: parsed by its own schema (checked already by `checkJournaled`). */
export function stateOf<J extends StepJournal>(journal: J, outputs: StepOutputs): JournaledState<J> {
  return loose(journal.state).parse(outputs) as JournaledState<J>;
}
