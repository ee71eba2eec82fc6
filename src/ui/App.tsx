import { Box } from 'ink';
import { useCallback, useMemo, useRef, type ReactNode } from 'react';
import type { RunSummary } from '../engine/run-summary.js';
import type { Session } from '../engine/session-types.js';
import { useAppStore, useAppStoreApi } from '../store/context.js';
import { EventLog } from './EventLog.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import type { ExtraKey } from './keys.js';
import { layoutFor, type Layout } from './layout.js';
import { Panel } from './Panel.js';
import { ProbePanel } from './ProbePanel.js';
import { createRunController, type Ended } from './run-controller.js';
import type { TuiCommand } from './startup.js';
import type { RunCommandOptions } from '../engine/run-command.js';
import { useRunCommand } from './use-run-command.js';
import { StepList } from './StepList.js';
import { TargetTable } from './TargetTable.js';
import { useAppKeys } from './use-app-keys.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  readonly session: Session;
  readonly command: TuiCommand;
  /** `--yes`: no offer at start, and the app quits by itself when the command is done. */
  readonly yes: boolean;
  readonly extraKeys?: readonly ExtraKey[] | undefined;
  /** Dry run, drill hold, clock and abort signal for the commands. */
  readonly commandOptions: RunCommandOptions;
  /** Called once, with how the last command ended, when the operator quits. */
  readonly onExit: (ended: Ended) => void;
}

const NO_KEYS: readonly ExtraKey[] = [];

/** The whole terminal UI: dashboard, run, prompts and keys. Render it inside `<StoreProvider>`. */
export function App({ session, command, yes, extraKeys = NO_KEYS, commandOptions, onExit }: AppProps): ReactNode {
  const store = useAppStoreApi();
  const controller = useMemo(() => createRunController(store, session, commandOptions), [store, session, commandOptions]);
  const exited = useRef(false);
  const quit = useCallback(() => {
    if (exited.current) return;
    exited.current = true;
    const ended = controller.ended();
    store.getState().answerPrompt('stop');
    onExit(ended);
  }, [controller, store, onExit]);
  const offer = useRunCommand({ session, controller, command, yes, onDone: quit });

  const { columns, rows } = useTerminalSize();
  const stepCount = useAppStore((s) => s.run.steps.length);
  const targetCount = useAppStore((s) => s.dashboard.targets.length);
  const traffic = useAppStore((s) => s.dashboard.traffic.length > 0 || s.dashboard.trafficTotals !== undefined);
  const overlay = useAppStore((s) => s.ui.overlay);
  const layout = useMemo(
    () => layoutFor(columns, rows, { steps: stepCount, targets: targetCount, traffic }),
    [columns, rows, stepCount, targetCount, traffic],
  );
  useAppKeys({ extraKeys, targetRows: layout.targetRows, startCommand: (c) => void controller.run(c), quit });

  return (
    <Box flexDirection="column" width={layout.width}>
      <Header />
      {overlay === 'help' ? (
        <Box flexDirection="column" height={layout.bodyRows} overflow="hidden">
          <HelpOverlay extraKeys={extraKeys} maxLines={layout.bodyRows} />
        </Box>
      ) : layout.twoColumns ? (
        <WideBody layout={layout} offer={offer} />
      ) : (
        <NarrowBody layout={layout} offer={offer} />
      )}
      <Footer extraKeys={extraKeys} width={layout.width} />
    </Box>
  );
}

interface BodyProps {
  readonly layout: Layout;
  readonly offer: RunSummary | undefined;
}

function Dashboard({ layout }: { readonly layout: Layout }): ReactNode {
  return (
    <>
      <Box flexDirection="column" height={layout.targetRows + 2} overflow="hidden">
        <TargetTable rows={layout.targetRows} width={layout.leftWidth} />
      </Box>
      <Box flexDirection="column" height={layout.probeRows} overflow="hidden">
        <ProbePanel width={layout.leftWidth} />
      </Box>
    </>
  );
}

function NarrowBody({ layout, offer }: BodyProps): ReactNode {
  return (
    <>
      <Dashboard layout={layout} />
      <Box flexDirection="column" height={layout.stepRows} overflow="hidden">
        <StepList rows={layout.stepRows} />
      </Box>
      <Panel rows={layout.panelRows} offer={offer} />
      <Box flexDirection="column" height={layout.logRows} overflow="hidden">
        <EventLog maxLines={layout.logRows} />
      </Box>
    </>
  );
}

function WideBody({ layout, offer }: BodyProps): ReactNode {
  return (
    <>
      <Box>
        <Box flexDirection="column" width={layout.leftWidth}>
          <Dashboard layout={layout} />
        </Box>
        <Box width={1} />
        <Box flexDirection="column" width={layout.rightWidth}>
          <Box flexDirection="column" height={layout.stepRows} overflow="hidden">
            <StepList rows={layout.stepRows} />
          </Box>
          <Box height={1} />
          <Panel rows={layout.panelRows} offer={offer} />
        </Box>
      </Box>
      <Box flexDirection="column" height={layout.logRows} overflow="hidden">
        <EventLog maxLines={layout.logRows} />
      </Box>
    </>
  );
}
