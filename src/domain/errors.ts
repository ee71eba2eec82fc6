import type { ErrorCode, ErrorCodeOf } from './error-codes.js';

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

/** The options of an error of kind `K`: its code is one of that kind's (`error-codes.ts`). */
export type HotspareErrorOptions<K extends ErrorKind = ErrorKind> = ErrorOptionsWith<ErrorCodeOf<K>>;

interface ErrorOptionsWith<C extends ErrorCode> {
  /** Which error this is, from the closed list of `error-codes.ts`. */
  readonly code: C;
  /** AWS's own error code, for an AWS error hotspare has no code of its own for (`AwsError`) or names only by family. */
  readonly awsCode?: string | undefined;
  readonly retryable?: boolean | undefined;
  /** The request may have been applied although no answer says so (a reset connection, a 5xx). */
  readonly outcomeUnknown?: boolean | undefined;
  readonly nextSteps?: string | undefined;
  readonly cause?: unknown;
}

export abstract class HotspareError extends Error {
  abstract readonly kind: ErrorKind;
  /** A stable machine-readable code of the closed list (`error-codes.ts`), e.g. `AccessDenied`, `Throttling`. */
  readonly code: ErrorCode;
  /** AWS's own error code, when `code` does not say it (see HotspareErrorOptions). */
  readonly awsCode: string | undefined;
  readonly retryable: boolean;
  /** For a mutating call: it may have taken effect (the answer was lost), so undo and retry must read first. */
  readonly outcomeUnknown: boolean;
  /** What the operator should do now, in one or two sentences. */
  readonly nextSteps: string | undefined;

  constructor(message: string, options: ErrorOptionsWith<ErrorCode>) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.awsCode = options.awsCode;
    this.retryable = options.retryable ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.nextSteps = options.nextSteps;
  }
}

/** Bad input: a runbook, a flag, a file. */
export class UsageError extends HotspareError {
  override readonly name = 'UsageError' as const;
  readonly kind = 'usage' as const;
  constructor(message: string, options: HotspareErrorOptions<'usage'>) {
    super(message, options);
  }
}

/** AWS, the network or a probed site said no. */
export class ExternalError extends HotspareError {
  override readonly name = 'ExternalError' as const;
  readonly kind = 'external' as const;
  constructor(message: string, options: HotspareErrorOptions<'external'>) {
    super(message, options);
  }
}

/** hotspare will not proceed without a decision (lock held, unfinished run). */
export class RefusedError extends HotspareError {
  override readonly name = 'RefusedError' as const;
  readonly kind = 'refused' as const;
  constructor(message: string, options: HotspareErrorOptions<'refused'>) {
    super(message, options);
  }
}

/** hotspare itself is wrong. */
export class BugError extends HotspareError {
  override readonly name = 'BugError' as const;
  readonly kind = 'bug' as const;
  constructor(message: string, options: HotspareErrorOptions<'bug'>) {
    super(message, options);
  }
}

/**
 * An error as a journal holds it. A journal written before the codes were a closed list may hold
 * codes not in it (an AWS code such as `ValidationError`, an errno): read back, they are shown as
 * they were written.
 */
export type JournaledError = Omit<ErrorRecord, 'code'> & { readonly code: ErrorCode | (string & {}) };

/** Plain JSON form of an error, for the journal and `--json` events. Never includes credentials. */
export interface ErrorRecord {
  readonly name: string;
  readonly kind: ErrorKind;
  readonly code: ErrorCode;
  /** AWS's own code beside `code` (see HotspareErrorOptions); absent when there is none. */
  readonly awsCode?: string | undefined;
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
      ...(error.awsCode === undefined ? {} : { awsCode: error.awsCode }),
      message: error.message,
      retryable: error.retryable,
      ...(error.outcomeUnknown ? { outcomeUnknown: true } : {}),
      nextSteps: error.nextSteps,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  return { name, kind: 'bug', code: 'InternalError', message, retryable: false };
}
