import { writeSync } from 'node:fs';
import {
  createInFlight,
  interruptionText,
  type InFlight,
  type Interruption,
  type UnfinishedCommand,
} from '../engine/in-flight.js';
import { laterProcessCanAct, leftRunHint, nextCommand, type Invocation } from './output/next-commands.js';

/**
 * The exit code of a process whose command did not reach its end (see `installProcessGuard`): the
 * same as a failed step, so cron, CI and scripts never read an unfinished run as done.
 */
export const EXIT_UNFINISHED = 1;

/** How interruptions are reported: the invocation (for the next commands) and `--json`. */
export interface ReportShape {
  readonly invocation: Invocation;
  readonly json: boolean;
}

/**
 * The process-level guard: the exit code is "unfinished" from the first moment and becomes the
 * command's own only when the command returns (`finish`). A process that runs out of work before
 * then (nothing left to wait for: a lost timer, a promise nobody settles) does not exit 0: the
 * guard journals the interruption in every open journal (`InFlight`), prints what happened and
 * the commands that go on or undo, and leaves the exit code at 1.
 */
export interface ProcessGuard {
  /** The commands of this process in flight; the session registers each one. */
  readonly inFlight: InFlight;
  /** The command returned `code`: the exit code is the command's. */
  finish(code: number): void;
  /** Set once the command line is read, so a report names the real commands. */
  describe(shape: ReportShape): void;
  /** Journal `how` in every open journal, release the locks, and print the report (synchronously). */
  interrupt(how: Interruption): void;
  /**
   * Journal `how` now and return the printing of the report for later: the dashboard's quit is
   * journaled when the operator quits, and reported once the terminal is given back.
   */
  journalInterruption(how: Interruption): () => void;
}

let current: ProcessGuard | undefined;

/** The guard `bin.ts` installed, if any (in-process tests run without one). */
export function processGuard(): ProcessGuard | undefined {
  return current;
}

/** Writes that never throw: the terminal may be gone (SIGHUP), a pipe closed. */
function writeLine(fd: number, line: string): void {
  try {
    writeSync(fd, `${line}\n`);
  } catch {
    // Nowhere left to say it; the journal has it.
  }
}

/** What to do about a rollback left unfinished: run it again (the dashboard's quit question says the same). */
export function rollbackLeftHint(inv: Invocation): string {
  if (!laterProcessCanAct(inv)) return leftRunHint(inv);
  return `The rollback stays journaled: run \`${nextCommand('rollback', inv)}\` again to finish it.`;
}

/** What to do next about the commands that were stopped, as commands to paste (the words `q` shows). */
export function nextAfterInterruption(stopped: readonly UnfinishedCommand[], inv: Invocation): string {
  const journaled = stopped.filter((c) => c.runId !== undefined);
  if (journaled.length === 0)
    return 'Nothing was journaled: the command had not changed anything yet. Run it again when ready.';
  return journaled.some((c) => c.command === 'rollback') ? rollbackLeftHint(inv) : leftRunHint(inv);
}

/** The report of an interruption: one line of what happened, one of what to do next. */
export function interruptionReport(
  how: Interruption,
  stopped: readonly UnfinishedCommand[],
  inv: Invocation,
): { message: string; next: string } {
  const command = stopped[0]?.command ?? 'the command';
  const runs = stopped.flatMap((c) => (c.runId === undefined ? [] : [c.runId]));
  const journaled = runs.length === 0 ? '' : ` Run ${runs.join(', ')} is journaled as interrupted.`;
  return { message: `${interruptionText(how, command)}.${journaled}`, next: nextAfterInterruption(stopped, inv) };
}

/** Print the report on stderr (`--json`: one error object on stdout), synchronously. */
function print(how: Interruption, stopped: readonly UnfinishedCommand[], shape: ReportShape, exitCode: number): void {
  const { message, next } = interruptionReport(how, stopped, shape.invocation);
  if (shape.json) {
    writeLine(
      1,
      JSON.stringify({ error: { code: 'Interrupted', kind: 'external', message, nextSteps: next }, exitCode }),
    );
    return;
  }
  writeLine(2, `hotspare: ${message}`);
  writeLine(2, `next: ${next}`);
}

/** The exit code for an interruption: 128 + the signal's number, as a shell reports it; else 1. */
export function exitCodeForInterruption(how: Interruption): number {
  if (how.by !== 'signal') return EXIT_UNFINISHED;
  const numbers: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGPIPE: 13, SIGTERM: 15 };
  return 128 + (numbers[how.signal] ?? 15);
}

/** Install the guard on `proc` (once per process, from `bin.ts`). */
export function installProcessGuard(proc: NodeJS.Process = process): ProcessGuard {
  const inFlight = createInFlight();
  let finished = false;
  let shape: ReportShape = { invocation: { sandbox: false }, json: false };
  proc.exitCode = EXIT_UNFINISHED;
  const guard: ProcessGuard = {
    inFlight,
    finish: (code) => {
      finished = true;
      proc.exitCode = code;
    },
    describe: (s) => void (shape = s),
    interrupt: (how) => print(how, inFlight.interrupt(how), shape, exitCodeForInterruption(how)),
    journalInterruption: (how) => {
      const stopped = inFlight.interrupt(how);
      return () => print(how, stopped, shape, exitCodeForInterruption(how));
    },
  };
  // Nothing is left to run and the command has not returned: it never will.
  proc.on('beforeExit', () => {
    if (finished) return;
    finished = true;
    guard.interrupt({ by: 'stalled' });
    proc.exitCode = EXIT_UNFINISHED;
  });
  // An exit asked for elsewhere before the command returned is never a success.
  proc.on('exit', () => {
    if (!finished && (proc.exitCode === undefined || proc.exitCode === 0)) proc.exitCode = EXIT_UNFINISHED;
  });
  current = guard;
  return guard;
}
