import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listJournals } from '../../engine/journal.js';
import { stateFileError } from '../../engine/state-files.js';

/**
 * Sandbox runs journal under `STATE/sandbox/<epoch ms>-<pid>`, one directory per process, so a drill
 * never meets another's lock or unfinished run. These find them again and keep the last few.
 */

/**
 * Where a command that reads journals looks: `--journal-dir`, else with `--sandbox` every sandbox
 * run's directory, else the state directory.
 */
export function journalDirsToRead(
  opts: { readonly journalDir?: string | undefined; readonly sandbox?: boolean | undefined },
  stateDir: string,
): string[] {
  if (opts.journalDir !== undefined) return [opts.journalDir];
  return opts.sandbox === true ? sandboxJournalDirs(stateDir) : [stateDir];
}

/** How many sandbox journal directories are kept (the newest). */
export const SANDBOX_RUNS_KEPT = 20;

const RUN_DIR = /^(\d+)-(\d+)$/;

export function sandboxRoot(stateDir: string): string {
  return join(stateDir, 'sandbox');
}

/** The journal directory for a new sandbox process. */
export function newSandboxJournalDir(stateDir: string, now: number, pid: number): string {
  return join(sandboxRoot(stateDir), `${now}-${pid}`);
}

/** The sandbox journal directories, newest first. */
export function sandboxJournalDirs(stateDir: string): string[] {
  const root = sandboxRoot(stateDir);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw stateFileError(error, root, 'listing the sandbox runs in');
  }
  const stamp = (name: string): number => Number(RUN_DIR.exec(name)?.[1] ?? 0);
  return names
    .filter((n) => RUN_DIR.test(n))
    .sort((a, b) => stamp(b) - stamp(a) || b.localeCompare(a))
    .map((n) => join(root, n));
}

/** The newest sandbox journal (of `runbook`, or of any), with its directory. */
export function latestSandboxJournal(
  stateDir: string,
  runbook?: string,
): { readonly dir: string; readonly file: string } | undefined {
  for (const dir of sandboxJournalDirs(stateDir)) {
    const file = listJournals(dir, runbook).at(-1);
    if (file !== undefined) return { dir, file };
  }
  return undefined;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Delete all but the newest `keep - 1` sandbox journal directories, making room for one more.
 * A directory whose process is still running is left alone. Returns what was deleted.
 */
export function pruneSandboxJournals(stateDir: string, keep = SANDBOX_RUNS_KEPT): string[] {
  const removed: string[] = [];
  for (const dir of sandboxJournalDirs(stateDir).slice(Math.max(0, keep - 1))) {
    const pid = Number(RUN_DIR.exec(basename(dir))?.[2]);
    if (alive(pid)) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch (error) {
      throw stateFileError(error, dir, 'deleting the old sandbox journal');
    }
  }
  return removed;
}
