import { memo, useMemo, type ReactNode } from 'react';
import { selectedIndex } from '../store/app-store.js';
import { useAppStore } from '../store/context.js';
import { Lines } from './Lines.js';
import { stepDetailLines } from './step-detail.js';

export interface StepDetailProps {
  readonly maxLines: number;
}

/** The selected step's exact API calls (planned or made, with request ids); hazards before the run. */
export const StepDetail = memo(function StepDetail({ maxLines }: StepDetailProps): ReactNode {
  const run = useAppStore((s) => s.run);
  const index = useAppStore(selectedIndex);
  const lines = useMemo(() => stepDetailLines(run.steps[index], run), [run, index]);
  return <Lines lines={lines} max={maxLines} />;
});
