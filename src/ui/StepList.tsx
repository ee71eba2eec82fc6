import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { selectedIndex } from '../store/app-store.js';
import { useAppStore } from '../store/context.js';
import type { StepView } from '../store/state.js';
import { colorForStepState, glyphForStepState, labelForStepState, stepTiming, windowSteps } from './step-list.js';
import { Spinner } from './Spinner.js';
import { useNow } from './use-now.js';

export interface StepListProps {
  readonly rows: number;
}

/** The plan's steps with their state; the selected one is highlighted, a running one spins. */
export const StepList = memo(function StepList({ rows }: StepListProps): ReactNode {
  const steps = useAppStore((s) => s.run.steps);
  const selected = useAppStore(selectedIndex);
  const running = useMemo(() => steps.some((s) => s.state === 'running'), [steps]);
  const now = useNow(1000, running);
  const { from, to } = windowSteps(steps.length, selected, rows);
  if (steps.length === 0) return <Text dimColor>No plan yet.</Text>;
  return (
    <Box flexDirection="column">
      {steps.slice(from, to).map((step, i) => (
        <StepRow key={step.id} step={step} number={from + i + 1} selected={from + i === selected} now={now} />
      ))}
    </Box>
  );
});

function StepRow({ step, number, selected, now }: { readonly step: StepView; readonly number: number; readonly selected: boolean; readonly now: number }): ReactNode {
  const color = colorForStepState(step.state);
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {step.state === 'running' ? <Spinner /> : <Text color={color}>{glyphForStepState(step.state)}</Text>}
      {` ${number}. `}
      <Text bold={step.state === 'running'}>{step.title}</Text>
      <Text color={color}>{` ${labelForStepState(step.state)}`}</Text>
      <Text dimColor>{` ${stepTiming(step, now)}${step.attempt > 1 ? ` attempt ${step.attempt}` : ''}${step.progress === undefined ? '' : ` · ${step.progress}`}`}</Text>
    </Text>
  );
}
