import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useAppStore } from '../store/context.js';
import { namePrompt } from '../store/state.js';
import { Lines } from './Lines.js';
import { windowBody, type PanelModel } from './panel-model.js';
import { truncateStart } from './text.js';
import { useColor } from './use-color.js';

export interface PanelProps {
  readonly model: PanelModel;
  readonly rows: number;
  readonly width: number;
}

/** Draws a panel model in `rows` rows: top and bottom whole, the body windowed with "+N more". */
export function Panel({ model, rows, width }: PanelProps): ReactNode {
  const scroll = useAppStore((s) => s.ui.detailScroll);
  const expanded = useAppStore((s) => s.ui.expanded);
  // A terminal too short for the whole top: its first lines (the headline) stay, never drawn over.
  const top = model.top.slice(0, Math.max(1, rows - model.bottom.length - (model.input ? 1 : 0)));
  const bodyRows = rows - top.length - model.bottom.length - (model.input ? 1 : 0);
  const hint = expanded || model.asking ? 'PgUp/PgDn scroll' : 'Tab shows all, PgUp/PgDn';
  const { lines } = windowBody(model.body, bodyRows, scroll, hint);
  const after = windowBody(model.after, bodyRows - lines.length, 0, 'Tab shows all').lines;
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      <Lines lines={top} />
      <Lines lines={lines} />
      {model.input ? <NameInput width={width} /> : null}
      <Lines lines={model.bottom} />
      <Lines lines={after} />
    </Box>
  );
}

/** The runbook-name input: what has been typed, ending in a block cursor; the end is kept when long. */
function NameInput({ width }: { readonly width: number }): ReactNode {
  const typed = useAppStore((s) => namePrompt(s.prompt)?.typed ?? '');
  const paint = useColor();
  return (
    <Text wrap="truncate-end">
      <Text color={paint('red')} bold>
        {'> '}
      </Text>
      {truncateStart(typed, Math.max(1, width - 3))}
      <Text inverse> </Text>
    </Text>
  );
}
