import type { Mode } from '../engine/events.js';
import type { RollbackRequest } from '../engine/operator.js';
import type { Prompt } from '../store/state.js';
import { line, type Line } from './line-model.js';
import { callText } from './step-detail.js';

/** The rollback question: what will be undone, with its calls, and the web servers' health now. */
export function rollbackLines(request: RollbackRequest, expected: string | undefined): readonly Line[] {
  const health = request.webHealth.length === 0 ? [line('  web servers: not registered now (their health shows once they are back)', { dim: true })] : request.webHealth.map((h) => line(`  web ${h.id}: ${h.state}${h.reason ? ` (${h.reason})` : ''}`, { color: h.state === 'healthy' ? 'green' : 'red' }));
  const steps = request.steps.flatMap((s) => [line(`  ↶ ${s.id}: ${s.title}`), ...(s.undo ?? []).map((c) => line(`      · ${callText(c)}`))]);
  return [
    line(`Roll back run ${request.runId}? Traffic goes back to the web servers.`, { bold: true, color: 'yellow' }),
    ...(request.warning === undefined ? [] : [line(`  ⚠ ${request.warning}`, { bold: true, color: 'red' })]),
    ...health,
    ...steps,
    ...(expected === undefined ? [] : [line(`Type the runbook name (${expected}) to roll back production.`, { color: 'red' })]),
  ];
}

/** The keys a prompt accepts, as shown under it. */
export function promptKeys(prompt: Prompt): string {
  switch (prompt.kind) {
    case 'confirm':
      return prompt.request.step.type === 'manual' ? 'Enter/y done · s skip · n/Esc stop' : 'Enter/y run · s skip · n/Esc stop';
    case 'typed-name':
      return 'type the name, Enter run · Esc stop';
    case 'failure':
      return 'r retry · s skip · b roll back · q stop (resumable)';
    case 'rollback':
      return prompt.expected !== undefined ? 'type the name, Enter roll back · Esc leave everything as it is' : 'Enter/y roll back · n/Esc leave everything as it is';
  }
}

/** The question, the step's exact calls, and the keys. */
export function promptLines(prompt: Prompt, mode: Mode): readonly Line[] {
  switch (prompt.kind) {
    case 'confirm':
    case 'typed-name': {
      const { step, index, total } = prompt.request;
      const undo = prompt.request.phase === 'undo';
      const verb = undo ? 'Undo it?' : step.type === 'manual' ? 'Done?' : mode === 'live' && step.mutating ? 'Run it? (changes production)' : 'Run it?';
      const calls = undo ? (step.undo ?? []) : step.calls;
      const text = step.spec.type === 'manual' && !undo ? [line(`  ☐ ${step.spec.text}`)] : calls.map((c) => line(`  · ${callText(c)}`));
      const typed = prompt.kind === 'typed-name' ? [line(`This is the first change to production. Type the runbook name (${prompt.expected}) to go on.`, { color: 'red' })] : [];
      return [line(`${undo ? 'Undo' : 'Step'} ${index + 1}/${total}: ${step.title} — ${verb}`, { bold: true, color: 'yellow' }), ...typed, ...text];
    }
    case 'rollback':
      return rollbackLines(prompt.request, prompt.expected);
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
