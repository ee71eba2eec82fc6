import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { HotspareError, toErrorRecord } from '../../domain/errors.js';
import { ensureStateDir } from '../../engine/state-files.js';
import { exitCodeFor } from './exit-codes.js';

/** Where the details of unexpected errors go, in the journal directory. */
export const ERROR_LOG = 'errors.log';

export interface ReportOptions {
  /** `--json`: the error as one JSON object on stdout. */
  readonly json: boolean;
  /** `--debug`: the stack on stderr as well. */
  readonly debug: boolean;
  /** The journal directory, for the error log. */
  readonly stateDir: string;
  readonly argv: readonly string[];
  readonly now: number;
  /** Makes the placeholder commands in next steps (`hotspare resume RUNBOOK`) the real ones. */
  readonly realCommands?: ((text: string) => string) | undefined;
}

/**
 * Append an unexpected error's stack to the error log (mode 0600) and return its path, or undefined
 * when it cannot be written (the error is still reported).
 */
function logDetails(error: unknown, options: ReportOptions): string | undefined {
  const path = join(options.stateDir, ERROR_LOG);
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    ensureStateDir(options.stateDir);
    appendFileSync(path, `${new Date(options.now).toISOString()} hotspare ${options.argv.join(' ')}\n${stack}\n\n`, {
      mode: 0o600,
    });
    return path;
  } catch {
    return undefined;
  }
}

/**
 * An error as the operator sees it: one line of what happened and one of what to do, never a stack
 * (unexpected errors put theirs in the error log, or on stderr with `--debug`). Returns the exit code.
 */
export function reportError(
  error: unknown,
  options: ReportOptions,
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const record = toErrorRecord(error);
  const unexpected = !(error instanceof HotspareError) || error.kind === 'bug';
  const log = unexpected ? logDetails(error, options) : undefined;
  const next = unexpected
    ? `This is a bug in hotspare; please report it${log === undefined ? '' : ` with the details in ${log}`}. Your run, if any, is journaled: \`hotspare status RUNBOOK\` shows where it stands.`
    : record.nextSteps === undefined
      ? undefined
      : (options.realCommands ?? ((t: string) => t))(record.nextSteps);
  const code = exitCodeFor(error);
  if (options.json) {
    out(
      JSON.stringify({
        error: {
          code: record.code,
          ...(record.awsCode === undefined ? {} : { awsCode: record.awsCode }),
          kind: record.kind,
          message: record.message,
          nextSteps: next ?? null,
        },
        exitCode: code,
      }),
    );
  } else {
    err(`hotspare: ${unexpected ? 'internal error: ' : ''}${record.message}`);
    if (next !== undefined) err(`next: ${next}`);
  }
  if (options.debug && error instanceof Error && error.stack !== undefined) err(error.stack);
  return code;
}
