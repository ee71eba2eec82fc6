import type { Journal } from './journal.js';

/** How a command was stopped before it finished. */
export type Interruption =
  | { readonly by: 'operator'; readonly how: string }
  | { readonly by: 'signal'; readonly signal: string }
  /** The process ran out of work while the command was unfinished: a bug in hotspare, recorded rather than hidden. */
  | { readonly by: 'stalled' };

/** A command that has started and not finished: what an interruption must journal and report. */
export interface UnfinishedCommand {
  readonly command: string;
  readonly runbook: string;
  /** The run it acts on, once its journal is open. */
  readonly runId: string | undefined;
}

/** One command's entry in the registry, held by the session while the command runs. */
export interface CommandHandle {
  /** The command's journal is open: an interruption is journaled there. */
  attach(journal: Journal): void;
  /** The journal is about to be closed. */
  detach(): void;
  /** The command ended (however): nothing to report for it any more. */
  finish(): void;
}

/**
 * The commands of this process that have started and not finished. The session registers each
 * command (with its lock, and its journal once open); the process's front end (quit, a signal, the
 * process running out of work) calls `interrupt`, which journals the interruption in every open
 * journal and releases the locks, synchronously, so it can run just before the process exits.
 */
export interface InFlight {
  start(command: string, runbook: string, releaseLock: () => void): CommandHandle;
  unfinished(): readonly UnfinishedCommand[];
  /** Journal `how` in each unfinished command's journal, release their locks, and return them (each once). */
  interrupt(how: Interruption): readonly UnfinishedCommand[];
}

/** The words the journal and the timeline use for an interruption. */
export function interruptionText(how: Interruption, command: string): string {
  switch (how.by) {
    case 'operator':
      return `interrupted by the operator (${how.how}) while ${command} was running`;
    case 'signal':
      return `interrupted by ${how.signal} while ${command} was running`;
    case 'stalled':
      return `${command} stopped before it finished: nothing was left running in hotspare (a bug in hotspare)`;
  }
}

interface Entry {
  readonly command: string;
  readonly runbook: string;
  readonly releaseLock: () => void;
  journal: Journal | undefined;
  runId: string | undefined;
}

export function createInFlight(): InFlight {
  const entries = new Set<Entry>();
  const view = (e: Entry): UnfinishedCommand => ({ command: e.command, runbook: e.runbook, runId: e.runId });
  return {
    start(command, runbook, releaseLock) {
      const entry: Entry = { command, runbook, releaseLock, journal: undefined, runId: undefined };
      entries.add(entry);
      return {
        attach: (journal) => {
          entry.journal = journal;
          entry.runId = journal.runId;
        },
        detach: () => {
          entry.journal = undefined;
        },
        finish: () => void entries.delete(entry),
      };
    },
    unfinished: () => [...entries].map(view),
    interrupt(how) {
      const stopped = [...entries];
      entries.clear();
      for (const e of stopped) {
        try {
          e.journal?.append({
            kind: 'interrupted',
            command: e.command,
            by: how.by,
            ...(how.by === 'signal' ? { signal: how.signal } : {}),
            detail: interruptionText(how, e.command),
          });
        } catch {
          // The disk may be what failed; the report below still names the run.
        }
        e.releaseLock();
      }
      return stopped.map(view);
    },
  };
}
