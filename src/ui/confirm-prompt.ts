import type { Mode } from '../engine/events.js';
import type { ConfirmRequest, RollbackRequest } from '../engine/operator.js';
import type { PlannedStep } from '../plan/types.js';
import { namePrompt, type Prompt } from '../store/state.js';
import { line, type Line } from './line-model.js';
import { callText } from './step-detail.js';

/** A prompt in three parts: `top` and `bottom` are never cut; `body` (the calls) scrolls if it must. */
export interface PromptParts {
  readonly top: readonly Line[];
  readonly body: readonly Line[];
  readonly bottom: readonly Line[];
  /** The runbook-name input sits between body and bottom. */
  readonly input: boolean;
}

/** The keys a prompt accepts, as shown under it. */
export function promptKeys(prompt: Prompt): string {
  switch (prompt.kind) {
    case 'confirm':
      return prompt.request.step.type === 'manual' && prompt.request.phase !== 'undo'
        ? 'Enter/y done · s skip · n/Esc stop'
        : 'Enter/y run · s skip · n/Esc stop';
    case 'typed-name':
      return 'type the name, Enter run · Esc stop';
    case 'failure':
      return 'r retry · s skip · b roll back · q stop (resumable)';
    case 'rollback':
      return prompt.expected !== undefined
        ? 'type the name, Enter roll back · Esc leave everything as it is'
        : 'Enter/y roll back · n/Esc leave everything as it is';
    case 'paused':
      return 'p go on · n/Esc stop here (resumable)';
  }
}

/** What the step will do: its exact calls (its undo calls when undoing), or a manual step's checklist item. */
function stepBody(request: ConfirmRequest): readonly Line[] {
  const { step } = request;
  if (request.phase === 'undo') return (step.undo ?? []).map((c) => line(`  · ${callText(c)}`));
  if (step.spec.type === 'manual') return [line(`  ☐ ${step.spec.text}`)];
  return step.calls.map((c) => line(`  · ${callText(c)}`));
}

function stepTitle(request: ConfirmRequest, mode: Mode): Line {
  const { step, index, total } = request;
  const undo = request.phase === 'undo';
  const verb = undo
    ? 'Undo it?'
    : step.type === 'manual'
      ? 'Done?'
      : mode === 'live' && step.mutating
        ? 'Run it? (changes production)'
        : 'Run it?';
  return line(`${undo ? 'Undo' : 'Step'} ${index + 1}/${total}: ${step.title} — ${verb}`, {
    bold: true,
    color: 'yellow',
  });
}

/** Under a name input: why the name was refused, or that it was typed before the question appeared. */
function nameNotes(prompt: Prompt): readonly Line[] {
  const named = namePrompt(prompt);
  if (named === undefined) return [];
  if (named.rejected)
    return [line(`That is not "${named.expected}". Type it exactly, or Esc to stop.`, { color: 'red' })];
  if (named.early && named.typed !== '')
    return [
      line('This was typed before the prompt appeared: read the question above, then press Enter.', {
        color: 'yellow',
      }),
    ];
  return [];
}

/** The rollback question: what will be undone, with its calls, and the web servers' health now. */
function rollbackParts(request: RollbackRequest, expected: string | undefined): Pick<PromptParts, 'top' | 'body'> {
  const health =
    request.webHealth.length === 0
      ? [line('  web servers: not registered now (their health shows once they are back)', { dim: true })]
      : request.webHealth.map((h) =>
          line(`  web ${h.id}: ${h.state}${h.reason ? ` (${h.reason})` : ''}`, {
            color: h.state === 'healthy' ? 'green' : 'red',
          }),
        );
  const steps = request.steps.flatMap((s: PlannedStep) => [
    line(`  ↶ ${s.id}: ${s.title}`),
    ...(s.undo ?? []).map((c) => line(`      · ${callText(c)}`)),
  ]);
  return {
    top: [
      line(`Roll back run ${request.runId}? Traffic goes back to the web servers.`, { bold: true, color: 'yellow' }),
      ...(request.warning === undefined ? [] : [line(`  ⚠ ${request.warning}`, { bold: true, color: 'red' })]),
      ...(expected === undefined
        ? []
        : [line(`Type the runbook name (${expected}) to roll back production.`, { color: 'red', bold: true })]),
    ],
    body: [...health, ...steps],
  };
}

/** The question, the exact calls, and the keys. */
export function promptParts(prompt: Prompt, mode: Mode): PromptParts {
  const bottom = [...nameNotes(prompt), line(promptKeys(prompt), { color: 'cyan' })];
  const input = namePrompt(prompt) !== undefined;
  switch (prompt.kind) {
    case 'confirm':
      return { top: [stepTitle(prompt.request, mode)], body: stepBody(prompt.request), bottom, input };
    case 'typed-name': {
      const typed = line(
        `This is the first change to production. Type the runbook name (${prompt.expected}) to go on.`,
        { color: 'red', bold: true },
      );
      return { top: [stepTitle(prompt.request, mode), typed], body: stepBody(prompt.request), bottom, input };
    }
    case 'rollback':
      return { ...rollbackParts(prompt.request, prompt.expected), bottom, input };
    case 'paused': {
      const { step, index, total } = prompt.request;
      const title = line(
        `Paused before ${prompt.request.phase === 'undo' ? 'undo' : 'step'} ${index + 1}/${total}: ${step.title}`,
        { bold: true, color: 'yellow' },
      );
      const note = line(
        prompt.auto
          ? 'The run is held here; nothing has ended. p goes on with this step.'
          : "The run is held here; nothing has ended. p shows this step's confirmation.",
        { dim: true },
      );
      return { top: [title, note], body: stepBody(prompt.request), bottom, input };
    }
    case 'failure': {
      const { step, attempt, error } = prompt.request;
      return {
        top: [
          line(`Step ${step.id} failed (attempt ${attempt}): ${error.message}`, { bold: true, color: 'red' }),
          ...(error.nextSteps === undefined ? [] : [line(`  ${error.nextSteps}`)]),
        ],
        body: error.retryable ? [line('  Retrying may help.', { dim: true })] : [],
        bottom,
        input,
      };
    }
  }
}
