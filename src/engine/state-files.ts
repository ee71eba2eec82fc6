import { mkdirSync, statSync } from 'node:fs';
import { ExternalError, HotspareError, UsageError } from '../domain/errors.js';

/**
 * The journal directory and the errors of the files in it, in words the operator can act on: a
 * permission problem, a path that is a file, a full disk. Never "internal error".
 */

/** Turn a file-system error on `path` into a HotspareError naming the path and the fix. */
export function stateFileError(error: unknown, path: string, doing: string): HotspareError {
  if (error instanceof HotspareError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = error;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new UsageError(`Permission denied ${doing} ${path}.`, {
        code: 'StatePermissionDenied',
        nextSteps: `Give your user read and write access to ${path} (it should be yours, mode 0700 for the directory), or pass --journal-dir DIR.`,
        cause,
      });
    case 'EEXIST':
    case 'ENOTDIR':
      return new UsageError(`${path} is in the way: a file stands where hotspare needs a directory (${doing}).`, {
        code: 'StatePathNotDirectory',
        nextSteps: `Move the file aside, or pass --journal-dir DIR.`,
        cause,
      });
    case 'ENOSPC':
    case 'EDQUOT':
      return new ExternalError(`The disk is full ${doing} ${path}.`, {
        code: 'DiskFull',
        retryable: true,
        nextSteps:
          'Free some space, then run the same command again: everything journaled so far is kept, and an unfinished run resumes.',
        cause,
      });
    case 'EROFS':
      return new UsageError(`${path} is on a read-only file system (${doing}).`, {
        code: 'StateReadOnly',
        nextSteps: 'Pass --journal-dir DIR on a writable disk.',
        cause,
      });
    default:
      return new ExternalError(
        `Could not finish ${doing} ${path}: ${(error as Error | undefined)?.message ?? String(error)}`,
        {
          code: 'StateFileError',
          nextSteps: 'Check the disk and the path, or pass --journal-dir DIR.',
          cause,
        },
      );
  }
}

/** Mode bits that let someone other than the owner change files in a directory. */
const OTHERS_WRITE = 0o022;

/**
 * Create the journal directory (mode 0700) or check the one there: it must be a directory that
 * only its owner can write, because whoever can write a journal can steer a rollback.
 */
export function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw stateFileError(error, dir, 'creating the journal directory');
  }
  let mode: number;
  try {
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    mode = stat.mode;
  } catch (error) {
    throw stateFileError(error, dir, 'opening the journal directory');
  }
  if ((mode & OTHERS_WRITE) !== 0) {
    throw new UsageError(
      `The journal directory ${dir} can be written by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}).`,
      {
        code: 'StateDirTooOpen',
        nextSteps: `Anyone who can write there can change what a rollback does. Run \`chmod 700 ${dir}\`, or pass --journal-dir DIR.`,
      },
    );
  }
}
