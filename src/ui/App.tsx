import { Box } from 'ink';
import { useCallback, useMemo, useRef, type ReactNode } from 'react';
import type { Session } from '../engine/session-types.js';
import { useAppStore, useAppStoreApi } from '../store/context.js';
import { EventLog } from './EventLog.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import type { ExtraKey } from './keys.js';
import { layoutFor, type Layout } from './layout.js';
import { Panel } from './Panel.js';
import { panelRows, windowBody, type PanelModel } from './panel-model.js';
import { ProbePanel } from './ProbePanel.js';
import { createSessionController, type Ended } from './session-controller.js';
import type { TuiCommand } from './startup.js';
import type { SessionActionOptions } from '../engine/session-action.js';
import { useStartCommand } from './use-start-command.js';
import { StepList } from './StepList.js';
import { TargetTable } from './TargetTable.js';
import { useAppKeys } from './use-app-keys.js';
import { usePanelModel } from './use-panel-model.js';
import { useTargetHead, type TargetHead } from './use-target-head.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  readonly session: Session;
  readonly command: TuiCommand;
  /** `--yes`: no offer at start, and the app quits by itself when the command is done. */
  readonly yes: boolean;
  readonly extraKeys?: readonly ExtraKey[] | undefined;
  /** Dry run, drill hold, clock and abort signal for the commands. */
  readonly commandOptions: SessionActionOptions;
  /** Called once, with how the last command ended, when the operator quits. */
  readonly onExit: (ended: Ended) => void;
  /** Called once when the operator quits, before an open question is answered "stop" (`running`: a command still ran). */
  readonly onQuit?: ((running: boolean) => void) | undefined;
}

const NO_KEYS: readonly ExtraKey[] = [];

/** The whole terminal UI: dashboard, run, prompts and keys. Render it inside `<StoreProvider>`. */
export function App({
  session,
  command,
  yes,
  extraKeys = NO_KEYS,
  commandOptions,
  onExit,
  onQuit,
}: AppProps): ReactNode {
  const store = useAppStoreApi();
  const controller = useMemo(
    () => createSessionController(store, session, commandOptions),
    [store, session, commandOptions],
  );
  const exited = useRef(false);
  const quit = useCallback(() => {
    if (exited.current) return;
    exited.current = true;
    const ended = controller.ended();
    onQuit?.(ended.running);
    store.getState().answerPrompt('stop');
    onExit(ended);
  }, [controller, store, onExit, onQuit]);
  const offer = useStartCommand({ session, controller, command, yes, onDone: quit });

  const { columns, rows } = useTerminalSize();
  const model = usePanelModel(offer, columns);
  const head = useTargetHead(columns);
  const layout = useScreenLayout(columns, rows, model, head);
  const bodyRows = layout.panelRows - model.top.length - model.bottom.length - (model.input ? 1 : 0);
  const panelMaxScroll = (): number => windowBody(model.body, bodyRows, 0, '').maxScroll;
  const targetCount = useAppStore((s) => s.dashboard.targets.length);
  const visibleTargets = targetCount > layout.targetRows ? layout.targetRows - 1 : layout.targetRows;
  useAppKeys({
    extraKeys,
    targetRows: Math.max(1, visibleTargets),
    panelMaxScroll,
    startCommand: (c) => void controller.perform(c),
    quit,
  });
  const overlay = useAppStore((s) => s.ui.overlay);

  return (
    <Box flexDirection="column" width={layout.width}>
      <Header />
      {overlay === 'help' ? (
        <Box flexDirection="column" height={layout.bodyRows} overflow="hidden">
          <HelpOverlay extraKeys={extraKeys} maxLines={layout.bodyRows} width={layout.width} />
        </Box>
      ) : (
        <Body layout={layout} model={model} head={head} />
      )}
      <Footer extraKeys={extraKeys} width={layout.width} />
    </Box>
  );
}

/** The layout for this size and what the parts hold now. */
function useScreenLayout(columns: number, rows: number, model: PanelModel, head: TargetHead): Layout {
  const steps = useAppStore((s) => s.run.steps.length);
  const targets = useAppStore((s) => s.dashboard.targets.length);
  const traffic = useAppStore((s) => s.dashboard.traffic.length > 0 || s.dashboard.trafficTotals !== undefined);
  const logLines = useAppStore((s) => s.log.length);
  const expanded = useAppStore((s) => s.ui.expanded);
  const { min, want, more } = panelRows(model);
  return useMemo(
    () =>
      layoutFor(columns, rows, {
        steps,
        targets,
        traffic,
        logLines,
        panelMin: min,
        panelWant: want,
        panelMore: more,
        asking: model.asking,
        expanded,
        targetHead: head.rows,
        targetsFirst: head.pinned.length,
      }),
    [columns, rows, steps, targets, traffic, logLines, min, want, more, model.asking, expanded, head],
  );
}

function Body({
  layout,
  model,
  head,
}: {
  readonly layout: Layout;
  readonly model: PanelModel;
  readonly head: TargetHead;
}): ReactNode {
  if (layout.expanded) return <Panel model={model} rows={layout.panelRows} width={layout.width} />;
  return (
    <>
      <Box flexDirection="column" height={layout.targetRows + 1 + head.rows} overflow="hidden">
        <TargetTable rows={layout.targetRows} width={layout.width} head={head} />
      </Box>
      <Box flexDirection="column" height={layout.probeRows} overflow="hidden">
        <ProbePanel width={layout.width} />
      </Box>
      <Box flexDirection="column" height={layout.stepRows} overflow="hidden">
        <StepList rows={layout.stepRows} width={layout.width} />
      </Box>
      <Panel model={model} rows={layout.panelRows} width={layout.width} />
      <Box flexDirection="column" height={layout.logRows} overflow="hidden">
        <EventLog maxLines={layout.logRows} width={layout.width} />
      </Box>
    </>
  );
}
