import { toErrorRecord } from '../domain/errors.js';
import type { Plan } from '../plan/types.js';
import { stepDefinition } from '../steps/index.js';
import type { RunOutcome } from './events.js';
import type { OperatorIdentity } from './journal-records.js';
import { awsCommand } from './aws-cli.js';
import { needsUndo } from './rollback.js';
import { partialOutputs, type RunSummary } from './run-summary.js';
import { createStepContext, scopeRead, type RunScope } from './step-context.js';

/**
 * Close a run that cannot be finished, without hiding anything: for every step whose effect was
 * not undone, read its state in AWS now (its `verify`), journal the list as `run-abandoned`, and
 * report it line by line. Nothing is changed in AWS. The next failover is then accepted; `status`
 * and the timeline keep showing what was left.
 */
export async function abandonRun(
  scope: RunScope,
  run: RunSummary,
  plan: Plan,
  who: OperatorIdentity,
): Promise<RunOutcome> {
  const leftovers: string[] = [];
  for (const step of run.steps) {
    if (step.state === 'succeeded') scope.outputsByType.set(step.type, step.outputs ?? {});
  }
  // A step that sent no change (suspend-scaling with no group) left nothing, whatever its verify says.
  for (const step of [...run.steps].reverse().filter((s) => needsUndo(s) && s.calls.length > 0)) {
    const planned = plan.steps.find((p) => p.id === step.id);
    if (planned === undefined) continue;
    const ctx = createStepContext(scope, step, step.attempt, 'undo');
    // What to run by hand: the step's undo as `aws` commands, with the ids the run journaled.
    const commands = (planned.undo ?? []).map(awsCommand).filter((c): c is string => c !== undefined);
    const byHand = commands.length === 0 ? '' : `; by hand: ${commands.join(' && ')}`;
    try {
      const now = await scopeRead(scope, () =>
        stepDefinition(step.type).verify(ctx, planned.spec, partialOutputs(step)),
      );
      leftovers.push(
        `${step.id}: ${now.holds ? 'still in effect' : 'not in effect'} (${now.detail})${now.holds ? byHand : ''}`,
      );
    } catch (error) {
      leftovers.push(`${step.id}: state unknown (${toErrorRecord(error).message})${byHand}`);
    }
  }
  scope.journal.append({ kind: 'run-abandoned', operator: who, leftovers });
  const at = scope.ports.clock.now();
  const head =
    leftovers.length === 0
      ? `Run ${run.runId} closed: nothing of it is left in AWS.`
      : `Run ${run.runId} closed without a rollback. Left in AWS, undo by hand if needed:`;
  scope.emit({ type: 'log', level: leftovers.length === 0 ? 'info' : 'warn', message: head, at });
  for (const line of leftovers) scope.emit({ type: 'log', level: 'warn', message: `  ${line}`, at });
  scope.emit({ type: 'run-finished', runId: run.runId, outcome: 'abandoned', failures: leftovers, at });
  return 'abandoned';
}
