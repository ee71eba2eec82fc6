import type { Hazard, StrategySummary } from '../plan/types.js';
import type { ApiCall } from '../domain/types.js';
import type { CallView, RunState, StepView } from '../store/state.js';
import { params } from './format.js';
import { line, type Line } from './line-model.js';

/** `elbv2 RegisterTargets {"TargetGroupArn":…}  (note)`. */
export function callText(call: ApiCall): string {
  const p = params(call.params);
  return `${call.service} ${call.operation}${p === '' ? '' : ` ${p}`}${call.note === undefined ? '' : `  (${call.note})`}`;
}

function madeCallLine(c: CallView): Line {
  const id = c.requestId === undefined ? '' : `  req ${c.requestId}`;
  switch (c.phase) {
    case 'intent':
      return line(`  … ${callText(c.call)}`, { color: 'cyan' });
    case 'result':
      return line(`  ✓ ${callText(c.call)}${id}`, { color: 'green' });
    case 'failed':
      return line(`  ✗ ${callText(c.call)}: ${c.error?.message ?? 'failed'}${id}`, { color: 'red' });
    case 'dry-run':
      return line(`  ○ ${callText(c.call)} (dry run: not sent)${id}`, { color: 'yellow' });
  }
}

function hazardColor(h: Hazard): string {
  switch (h.severity) {
    case 'danger':
      return 'red';
    case 'warning':
      return 'yellow';
    case 'info':
      return 'gray';
  }
}

/** Hazards and the strategy comparison, shown before the first step runs. */
export function planLines(hazards: readonly Hazard[], strategies: readonly StrategySummary[]): readonly Line[] {
  const lines: Line[] = [];
  if (hazards.length > 0) lines.push(line('Hazards', { bold: true }));
  for (const h of hazards) {
    const window = h.expectedSeconds === undefined ? '' : ` (~${h.expectedSeconds} s)`;
    lines.push(line(`  ${h.severity === 'danger' ? '!!' : '! '} ${h.message}${window}`, { color: hazardColor(h) }));
  }
  if (strategies.length > 0)
    lines.push(line('Strategies (time to mitigation · needs ALB · cost · rollback)', { bold: true }));
  for (const s of strategies) {
    const mark = s.used ? '▸' : ' ';
    lines.push(
      line(
        `  ${mark} ${s.title}: ~${s.timeToMitigationSeconds} s · ${s.dependsOnLoadBalancer ? 'ALB' : 'no ALB'} · ${s.cost} · ${s.rollback}`,
        {
          bold: s.used,
          dim: !s.used,
        },
      ),
    );
  }
  return lines;
}

/** One step: what it does (exact calls planned), what it did (calls made, request ids). */
export function stepDetailLines(step: StepView): readonly Line[] {
  const lines: Line[] = [];
  lines.push(line(`Step ${step.id} (${step.type})${step.mutating ? '' : ' · read-only'}`, { bold: true }));
  if (step.error !== undefined) lines.push(line(`  ${step.error.message}`, { color: 'red' }));
  if (step.verification !== undefined) {
    lines.push(
      line(`  ${step.verification.holds ? '✓ verified' : '✗ not verified'}: ${step.verification.detail}`, {
        color: step.verification.holds ? 'green' : 'red',
      }),
    );
  }
  if (step.calls.length > 0) {
    lines.push(line('  Calls made:', { dim: true }));
    lines.push(...step.calls.map(madeCallLine));
  } else if (step.state === 'succeeded' && step.startedAt === undefined && step.planned.length > 0) {
    // Done before this session (a resume replays finished steps without their calls): the plan's
    // calls, with their conditions ("when no prepared spare is ready"), are not what was sent.
    lines.push(
      line('  Done earlier in this run: the calls it sent are in its journal (hotspare timeline).', { dim: true }),
    );
  } else {
    lines.push(line(step.planned.length === 0 ? '  No API calls.' : '  Will call:', { dim: true }));
    lines.push(...step.planned.map((c) => line(`  · ${callText(c)}`)));
  }
  return lines;
}

/**
 * The detail panel: before any run the hazards and strategies, then the selected step and the steps
 * after it, each with its exact calls, so a tall terminal shows what is coming.
 */
export function detailLines(run: RunState, selected: number): readonly Line[] {
  const plan = run.phase === 'idle' && run.runId === undefined ? planLines(run.hazards, run.strategies) : [];
  return [...plan, ...run.steps.slice(selected).flatMap(stepDetailLines)];
}
