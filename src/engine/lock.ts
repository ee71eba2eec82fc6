import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RefusedError } from '../ports/errors.js';
import type { OperatorIdentity } from './journal-records.js';

export interface LockInfo extends OperatorIdentity {
  readonly runbook: string;
  readonly command: string;
  /** Epoch ms. */
  readonly since: number;
}

export interface Lock {
  readonly info: LockInfo;
  release(): void;
}

export function lockPath(dir: string, runbook: string): string {
  return join(dir, `${runbook}.lock`);
}

/** Who holds the lock, or undefined. A lock left by a dead process on this host counts as free. */
export function readLock(dir: string, runbook: string): LockInfo | undefined {
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockPath(dir, runbook), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
  return isStale(info) ? undefined : info;
}

function isStale(info: LockInfo): boolean {
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Take the runbook's lock (file mode 0600, created exclusively) or refuse, naming who holds it.
 * A stale lock (its process is gone from this host) is taken over.
 */
export function acquireLock(dir: string, runbook: string, who: OperatorIdentity, command: string, now = Date.now()): Lock {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = lockPath(dir, runbook);
  const info: LockInfo = { ...who, runbook, command, since: now };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return { info, release: () => releaseIfOurs(path, info) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dir, runbook);
      if (holder !== undefined) throw lockHeld(holder);
      unlinkQuietly(path);
    }
  }
  throw lockHeld(info);
}

function lockHeld(holder: LockInfo): RefusedError {
  const since = new Date(holder.since).toISOString();
  return new RefusedError(
    `Runbook ${holder.runbook} is locked by ${holder.user}@${holder.host} (pid ${holder.pid}, ${holder.command}) since ${since}.`,
    {
      code: 'LockHeld',
      nextSteps: 'Talk to them first: two operators must not run the same runbook at once. If that process is gone, remove the lock file.',
    },
  );
}

function releaseIfOurs(path: string, info: LockInfo): void {
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    if (current.pid === info.pid && current.since === info.since) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Raced with another process; the next exclusive open decides.
  }
}
