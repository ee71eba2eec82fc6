import type { RunOutcome } from '../../engine/events.js';
import { HotspareError } from '../../domain/errors.js';

/**
 * The CLI's exit codes, decided here only: 0 done (or nothing run); 1 a step or verification failed,
 * or the run was stopped (journaled, resumable); 2 usage error or invalid runbook; 3 refused
 * (lock held, or an unfinished run needs a decision).
 */
export function exitCodeForOutcome(outcome: RunOutcome | undefined): number {
  switch (outcome) {
    case undefined:
    case 'failed-over':
    case 'rolled-back':
    case 'abandoned':
    case 'dry-run-complete':
      return 0;
    case 'failed':
    case 'aborted':
    case 'rollback-incomplete':
    // The rollback that was asked for did not happen.
    case 'declined':
      return 1;
  }
}

/**
 * `site publish` / `site refresh`: the files are in the bucket, but the website endpoint will not
 * serve them (a BLOCKING finding: hosting off, Block Public Access, no public read policy). Not 0:
 * cron and CI read 0 as "the maintenance site is ready".
 */
export const EXIT_NOT_SERVED = 4;

/** The exit code of a publish: 0 when visitors can reach what was published, else `EXIT_NOT_SERVED`. */
export function exitCodeForPublish(findings: readonly { readonly severity: string }[]): number {
  return findings.some((f) => f.severity === 'blocking') ? EXIT_NOT_SERVED : 0;
}

/** Exit code for an error that ends a command. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof HotspareError)) return 1;
  switch (error.kind) {
    case 'usage':
      return 2;
    case 'refused':
      return 3;
    case 'external':
    case 'bug':
      return 1;
  }
}

/**
 * The exit code of a command that ended with an outcome or an error; 1 when the operator quit while
 * it was still running (the run stays journaled and resumable).
 */
export function exitCodeOf(ended: {
  readonly outcome?: RunOutcome | undefined;
  readonly error?: unknown;
  readonly running?: boolean | undefined;
}): number {
  if (ended.running === true) return 1;
  return ended.error !== undefined ? exitCodeFor(ended.error) : exitCodeForOutcome(ended.outcome);
}
