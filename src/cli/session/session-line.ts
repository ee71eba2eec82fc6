import type { SessionAction } from '../../engine/session-action.js';
import type { SESSION } from '../args/flags.js';
import type { FlagValues } from '../args/tree.js';

/** What the CLI runs against a session: a command, or the dashboard (which runs none at start). */
export type SessionCommand = SessionAction | 'dashboard';

/** A session command's line: its typed flags and the runbook it names (resolved to its file). */
export type SessionLine = FlagValues<typeof SESSION> & {
  readonly runbook?: string | undefined;
  /** `drill --hold SECONDS`. */
  readonly holdSeconds?: number | undefined;
};
