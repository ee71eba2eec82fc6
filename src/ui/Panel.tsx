import { Box } from 'ink';
import { useMemo, type ReactNode } from 'react';
import type { RunSummary } from '../engine/run-summary.js';
import { useAppStore } from '../store/context.js';
import { errorBannerLines, offerLines, outcomeBannerLines, quitLines } from './banner.js';
import { ConfirmPrompt } from './ConfirmPrompt.js';
import { Lines } from './Lines.js';
import { StepDetail } from './StepDetail.js';

export interface PanelProps {
  readonly rows: number;
  /** The unfinished run offered at start, while the offer is open. */
  readonly offer?: RunSummary | undefined;
}

/**
 * The one place that asks or tells: quit confirmation, then the engine's prompt, then the
 * unfinished-run offer, else banners (error, outcome) above the selected step's detail.
 */
export function Panel({ rows, offer }: PanelProps): ReactNode {
  const overlay = useAppStore((s) => s.ui.overlay);
  const prompt = useAppStore((s) => s.prompt);
  const mode = useAppStore((s) => s.mode);
  const error = useAppStore((s) => s.ui.error);
  const run = useAppStore((s) => s.run);
  const banner = useMemo(() => [...errorBannerLines(error), ...outcomeBannerLines(run)], [error, run]);
  const body = ((): ReactNode => {
    if (overlay === 'quit') return <Lines lines={quitLines()} max={rows} />;
    if (prompt !== undefined) return <ConfirmPrompt prompt={prompt} maxLines={rows} />;
    if (overlay === 'offer' && offer !== undefined) return <Lines lines={offerLines(offer, mode)} max={rows} />;
    return (
      <>
        <Lines lines={banner} max={rows} />
        {banner.length < rows ? <StepDetail maxLines={rows - banner.length} /> : null}
      </>
    );
  })();
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      {body}
    </Box>
  );
}
