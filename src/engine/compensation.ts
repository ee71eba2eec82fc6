import type { StepOutputs } from '../domain/types.js';

/**
 * The engine's rule for compensation state (what a step is about to overwrite, journaled with the
 * intent as `before`): it is recorded once, from the earliest attempt that read it. A later attempt
 * runs after the step may already have changed things, so what it reads as "before" can be the
 * step's own effect (the listener already redirecting, the record already pointing at the static
 * site); restoring that on rollback would restore nothing. Earliest wins, key by key.
 */
export function addCompensation(recorded: StepOutputs, before: StepOutputs | undefined): StepOutputs {
  return before === undefined ? recorded : { ...before, ...recorded };
}

/**
 * What an undo (or a later attempt) sees of a step: its outputs, latest wins, with the recorded
 * compensation state over them, so no output can replace what the step overwrote.
 */
export function withCompensation(outputs: StepOutputs, compensation: StepOutputs): StepOutputs {
  return { ...outputs, ...compensation };
}
