import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import { stepDefinition } from '../steps/index.js';
import type { RunEnvironment } from '../domain/types.js';
import type { DescribeContext } from '../steps/types.js';
import { analyseHazards } from './hazards.js';
import { compareStrategies } from './strategies.js';
import { simulate } from './timeline.js';
import type { Plan, PlannedStep } from './types.js';

/** Placeholder run id shown in plans made before a run exists. */
export const PLAN_RUN_ID = '<run-id>';

/**
 * Turn a runbook and its environment into an ordered plan: each step with the exact calls it
 * will make and how rollback reverses it, the expected timing, hazards and the strategy comparison.
 * Pure: reads nothing.
 */
export function buildPlan(
  runbook: Runbook,
  env: RunEnvironment,
  runId: string = PLAN_RUN_ID,
  startedBy?: string,
  outputsOf?: DescribeContext['outputsOf'],
): Plan {
  const ctx: DescribeContext = { runbook, env, runId, startedBy, outputsOf };
  const timeline = simulate(runbook, env);
  const steps: PlannedStep[] = runbook.steps.map((spec, i) => {
    const def = stepDefinition(spec.type);
    return {
      id: stepIdOf(spec),
      type: spec.type,
      title: def.title(spec, ctx),
      spec,
      mutating: def.mutating,
      calls: def.describe(spec, ctx),
      undo: def.describeUndo(spec, ctx),
      expectedSeconds: timeline.steps[i]?.seconds ?? 0,
    };
  });
  return {
    runbook: runbook.name,
    steps,
    hazards: analyseHazards(runbook, env, steps, timeline),
    strategies: compareStrategies(runbook, env),
    expectedSeconds: timeline.total,
  };
}
