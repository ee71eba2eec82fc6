import { render } from 'ink';
import type { Session } from '../engine/session-types.js';
import type { AppStore } from '../store/app-store.js';
import { StoreProvider } from '../store/context.js';
import { App } from './App.js';
import { Opening } from './Opening.js';
import type { ExtraKey } from './keys.js';
import type { TuiCommand } from './startup.js';
import type { SessionActionOptions } from '../engine/session-action.js';
import type { Ended } from './session-controller.js';

export interface RunTuiOptions {
  /** The store the engine's `emit` already dispatches into. */
  readonly store: AppStore;
  /** Opened with `createStoreOperator(store)` (or the automatic operator for `--yes`). */
  readonly session: Session;
  readonly command: TuiCommand;
  /** `--yes`: no unfinished-run offer; quit by itself when the command is done. */
  readonly yes: boolean;
  /** Extra keys shown in the footer and help (e.g. the sandbox's `o` = break origins). */
  readonly extraKeys?: readonly ExtraKey[] | undefined;
  /** Dry run, drill hold, clock and abort signal for the commands. */
  readonly commandOptions: SessionActionOptions;
  /**
   * Told synchronously when the operator quits, before a question still open is answered "stop":
   * `running` when a command was still running (the CLI journals the interruption then).
   */
  readonly onQuit?: ((running: boolean) => void) | undefined;
  /** Streams, for tests; default the process's. */
  readonly stdout?: NodeJS.WriteStream | undefined;
  readonly stdin?: NodeJS.ReadStream | undefined;
}

/** The terminal, drawn from the first moment: `run` shows the dashboard once a session is open. */
export interface TuiScreen {
  /** Show the dashboard for the session and start the command; resolves when the operator quits (the terminal restored). */
  run(options: Omit<RunTuiOptions, 'store' | 'stdout' | 'stdin'>): Promise<Ended>;
  /** Take the screen down without a dashboard (the session could not be opened). */
  close(): Promise<void>;
}

/**
 * Draws the first frame (the header, and what is being read) at once, before the session has read
 * the account: the operator sees hotspare start in a blink even when AWS takes seconds to answer.
 */
export function openTuiScreen(options: Pick<RunTuiOptions, 'store' | 'stdout' | 'stdin'>): TuiScreen {
  const instance = render(
    <StoreProvider store={options.store}>
      <Opening />
    </StoreProvider>,
    {
      stdout: options.stdout ?? process.stdout,
      stdin: options.stdin ?? process.stdin,
      // Ctrl+C goes through the app's quit path, which asks during a run.
      exitOnCtrlC: false,
      // Stray console output (SDK warnings) is printed above the frame instead of tearing it; only for real streams.
      patchConsole: options.stdout === undefined,
      incrementalRendering: false,
    },
  );
  const close = async (): Promise<void> => {
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
  };
  return {
    run: async (run) => {
      let resolveExit: (ended: Ended) => void = () => undefined;
      const exited = new Promise<Ended>((resolve) => {
        resolveExit = resolve;
      });
      instance.rerender(
        <StoreProvider store={options.store}>
          <App
            session={run.session}
            command={run.command}
            yes={run.yes}
            extraKeys={run.extraKeys}
            commandOptions={run.commandOptions}
            onQuit={run.onQuit}
            onExit={(ended) => resolveExit(ended)}
          />
        </StoreProvider>,
      );
      const ended = await exited;
      await close();
      return ended;
    },
    close,
  };
}

/**
 * Renders the terminal UI (one Ink `render`), starts the command, and resolves when the operator
 * quits with how the last command ended (the CLI maps it to the exit code). The terminal is restored
 * (raw mode off, cursor shown) before the promise resolves.
 */
export async function runTui(options: RunTuiOptions): Promise<Ended> {
  return openTuiScreen(options).run(options);
}
