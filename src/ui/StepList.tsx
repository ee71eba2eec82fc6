import { Box, Text } from 'ink';
import { memo, useMemo, type ReactNode } from 'react';
import { selectedIndex } from '../store/app-store.js';
import { useAppStore } from '../store/context.js';
import type { StepView } from '../store/state.js';
import { colorForStepState, glyphForStepState, stepRowText, windowSteps } from './step-list.js';
import { Spinner } from './Spinner.js';
import { useColor } from './use-color.js';
import { useNow } from './use-now.js';

export interface StepListProps {
  readonly rows: number;
  readonly width: number;
}

/** The plan's steps with their state; the selected one is highlighted, a running one spins. */
export const StepList = memo(function StepList({ rows, width }: StepListProps): ReactNode {
  const steps = useAppStore((s) => s.run.steps);
  const selected = useAppStore(selectedIndex);
  const held = useAppStore((s) => (s.prompt?.kind === 'paused' ? s.prompt.request.step.id : undefined));
  const running = useMemo(() => steps.some((s) => s.state === 'running'), [steps]);
  const now = useNow(1000, running);
  if (steps.length === 0) return <Text dimColor>No plan yet.</Text>;
  const { from, to, above, below } = windowSteps(steps.length, selected, rows);
  return (
    <Box flexDirection="column">
      {above > 0 ? <Text dimColor>{`  ↑ ${above} more (↑)`}</Text> : null}
      {steps.slice(from, to).map((step, i) => (
        <StepRow
          key={step.id}
          step={step}
          number={from + i + 1}
          selected={from + i === selected}
          held={step.id === held}
          now={now}
          width={width}
        />
      ))}
      {below > 0 ? <Text dimColor>{`  +${below} more (↓)`}</Text> : null}
    </Box>
  );
});

interface StepRowProps {
  readonly step: StepView;
  readonly number: number;
  readonly selected: boolean;
  readonly held: boolean;
  readonly now: number;
  readonly width: number;
}

function StepRow({ step, number, selected, held, now, width }: StepRowProps): ReactNode {
  const paint = useColor();
  const color = paint(held ? 'yellow' : colorForStepState(step.state));
  const text = stepRowText(step, number, width, now, held);
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {step.state === 'running' ? <Spinner /> : <Text color={color}>{held ? '‖' : glyphForStepState(step.state)}</Text>}
      {text.number}
      <Text bold={step.state === 'running'}>{text.title}</Text>
      <Text color={color}>{text.status}</Text>
      <Text dimColor>{text.progress}</Text>
    </Text>
  );
}
