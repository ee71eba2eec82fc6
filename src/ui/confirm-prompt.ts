import type { Mode } from '../engine/events.js';
import type { Prompt } from '../store/state.js';
import { line, type Line } from './line-model.js';
import { callText } from './step-detail.js';

/** The keys a prompt accepts, as shown under it. */
export function promptKeys(prompt: Prompt): string {
  switch (prompt.kind) {
    case 'confirm':
      return prompt.request.step.type === 'manual' ? 'Enter/y done · s skip · n/Esc stop' : 'Enter/y run · s skip · n/Esc stop';
    case 'typed-name':
      return 'type the name, Enter run · Esc stop';
    case 'failure':
      return 'r retry · s skip · b roll back · q stop (resumable)';
  }
}

/** The question, the step's exact calls, and the keys. */
export function promptLines(prompt: Prompt, mode: Mode): readonly Line[] {
  switch (prompt.kind) {
    case 'confirm':
    case 'typed-name': {
      const { step, index, total } = prompt.request;
      const verb = step.type === 'manual' ? 'Done?' : mode === 'live' && step.mutating ? 'Run it? (changes production)' : 'Run it?';
      const text = step.spec.type === 'manual' ? [line(`  ☐ ${step.spec.text}`)] : step.calls.map((c) => line(`  · ${callText(c)}`));
      const typed = prompt.kind === 'typed-name' ? [line(`This is the first change to production. Type the runbook name (${prompt.expected}) to go on.`, { color: 'red' })] : [];
      return [line(`Step ${index + 1}/${total}: ${step.title} — ${verb}`, { bold: true, color: 'yellow' }), ...typed, ...text];
    }
    case 'failure': {
      const { step, attempt, error } = prompt.request;
      return [
        line(`Step ${step.id} failed (attempt ${attempt}): ${error.message}`, { bold: true, color: 'red' }),
        ...(error.nextSteps === undefined ? [] : [line(`  ${error.nextSteps}`)]),
        ...(error.retryable ? [line('  Retrying may help.', { dim: true })] : []),
      ];
    }
  }
}
