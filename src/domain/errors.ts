/**
 * The few error classes hotspare throws. Every error the operator sees is one of these: a `kind`
 * that says whose move it is, whether retrying can help, and what to do next.
 *
 * - `usage`: the operator's input is wrong (runbook, flags). Exit code 2.
 * - `external`: AWS or the network said no (permissions, throttling, capacity). The run stays
 *   journaled and resumable. Exit code 1.
 * - `refused`: hotspare will not go on without a decision (lock held, unfinished run). Exit code 3.
 * - `bug`: hotspare itself is wrong; the only kind shown with a stack trace.
 */
export type ErrorKind = 'usage' | 'external' | 'refused' | 'bug';

export interface HotspareErrorOptions {
  readonly code?: string | undefined;
  readonly retryable?: boolean | undefined;
  /** The request may have been applied although no answer says so (a reset connection, a 5xx). */
  readonly outcomeUnknown?: boolean | undefined;
  readonly nextSteps?: string | undefined;
  readonly cause?: unknown;
}

export abstract class HotspareError extends Error {
  abstract readonly kind: ErrorKind;
  /** A stable machine-readable code, e.g. `AccessDenied`, `Throttling`, `InsufficientInstanceCapacity`. */
  readonly code: string;
  readonly retryable: boolean;
  /** For a mutating call: it may have taken effect (the answer was lost), so undo and retry must read first. */
  readonly outcomeUnknown: boolean;
  /** What the operator should do now, in one or two sentences. */
  readonly nextSteps: string | undefined;

  constructor(message: string, options: HotspareErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'Error';
    this.retryable = options.retryable ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.nextSteps = options.nextSteps;
  }
}

/** Bad input: a runbook, a flag, a file. */
export class UsageError extends HotspareError {
  override readonly name = 'UsageError' as const;
  readonly kind = 'usage' as const;
}

/** AWS, the network or a probed site said no. */
export class ExternalError extends HotspareError {
  override readonly name = 'ExternalError' as const;
  readonly kind = 'external' as const;
}

/** hotspare will not proceed without a decision (lock held, unfinished run). */
export class RefusedError extends HotspareError {
  override readonly name = 'RefusedError' as const;
  readonly kind = 'refused' as const;
}

/** hotspare itself is wrong. */
export class BugError extends HotspareError {
  override readonly name = 'BugError' as const;
  readonly kind = 'bug' as const;
}

/** Plain JSON form of an error, for the journal and `--json` events. Never includes credentials. */
export interface ErrorRecord {
  readonly name: string;
  readonly kind: ErrorKind;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** Set when a mutating call may have taken effect although it failed (see HotspareError). */
  readonly outcomeUnknown?: boolean | undefined;
  readonly nextSteps?: string | undefined;
}

export function toErrorRecord(error: unknown): ErrorRecord {
  if (error instanceof HotspareError) {
    return {
      name: error.name,
      kind: error.kind,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.outcomeUnknown ? { outcomeUnknown: true } : {}),
      nextSteps: error.nextSteps,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  return { name, kind: 'bug', code: name, message, retryable: false };
}
