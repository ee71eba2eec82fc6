import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RefusedError } from '../domain/errors.js';
import type { OperatorIdentity } from './journal-records.js';
import { ensureStateDir, stateFileError } from './state-files.js';

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

/** The lock that guards a stale lock's takeover, so two processes never both remove one. */
function takeoverPath(path: string): string {
  return `${path}.takeover`;
}

/** The lock file's content as it is, or undefined when there is none (or it cannot be read as a lock). */
function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(raw: string | undefined): LockInfo | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Who holds the lock, or undefined. A lock left by a dead process on this host counts as free. */
export function readLock(dir: string, runbook: string): LockInfo | undefined {
  const info = parse(readRaw(lockPath(dir, runbook)));
  return info === undefined || isStale(info) ? undefined : info;
}

/** A lock is stale when its process is gone from this host. Locks of other hosts are never judged stale. */
function isStale(info: Pick<LockInfo, 'host' | 'pid'>): boolean {
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Create `path` exclusively with `content` (mode 0600); false when it exists. */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw stateFileError(error, path, 'creating the lock');
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * Remove the lock at `path` if it still holds exactly `staleRaw` (the content judged stale), and
 * only while holding the takeover lock: a process that read the same stale lock a moment ago can
 * then never remove a lock another process has taken since. Returns whether the stale lock is gone.
 */
export function removeStaleLock(path: string, staleRaw: string, who: OperatorIdentity): boolean {
  const guard = takeoverPath(path);
  if (!createExclusive(guard, JSON.stringify({ host: who.host, pid: who.pid }))) {
    // Someone else is taking over; a guard left by a crashed process is cleared for the next try.
    const holder = parse(readRaw(guard));
    if (holder !== undefined && isStale(holder)) unlinkQuietly(guard);
    return false;
  }
  try {
    if (readRaw(path) !== staleRaw) return false;
    unlinkQuietly(path);
    return true;
  } finally {
    unlinkQuietly(guard);
  }
}

/**
 * Take the runbook's lock (file mode 0600, created exclusively) or refuse, naming who holds it.
 * A stale lock (its process is gone from this host) is taken over; the takeover is atomic (see
 * `removeStaleLock`), so of any number of racing operators exactly one ends up holding the lock.
 */
export function acquireLock(
  dir: string,
  runbook: string,
  who: OperatorIdentity,
  command: string,
  now = Date.now(),
): Lock {
  ensureStateDir(dir);
  const path = lockPath(dir, runbook);
  const info: LockInfo = { ...who, runbook, command, since: now };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(path, JSON.stringify(info))) return { info, release: () => releaseIfOurs(path, info) };
    const raw = readRaw(path);
    const holder = parse(raw);
    if (holder !== undefined && !isStale(holder)) throw lockHeld(holder);
    if (raw !== undefined && (holder !== undefined || abandonedEmpty(path, raw, now))) removeStaleLock(path, raw, who);
    else if (raw !== undefined) throw unreadableLock(path);
  }
  const holder = parse(readRaw(path));
  throw holder === undefined ? unreadableLock(path) : lockHeld(holder);
}

/** Seconds after which an unreadable lock counts as left by a crash between its creation and its write. */
const EMPTY_LOCK_GRACE_MS = 10_000;

function abandonedEmpty(path: string, raw: string, now: number): boolean {
  if (raw.trim() !== '') return false;
  try {
    return now - statSync(path).mtimeMs > EMPTY_LOCK_GRACE_MS;
  } catch {
    return false;
  }
}

function lockHeld(holder: LockInfo): RefusedError {
  const since = new Date(holder.since).toISOString();
  return new RefusedError(
    `Runbook ${holder.runbook} is locked by ${holder.user}@${holder.host} (pid ${holder.pid}, ${holder.command}) since ${since}.`,
    {
      code: 'LockHeld',
      nextSteps:
        'Talk to them first: two operators must not run the same runbook at once. If that process is gone, remove the lock file.',
    },
  );
}

function unreadableLock(path: string): RefusedError {
  return new RefusedError(`The lock file ${path} exists but is not a hotspare lock.`, {
    code: 'LockUnreadable',
    nextSteps: 'Check that no other hotspare is running this runbook, then remove the lock file.',
  });
}

function releaseIfOurs(path: string, info: LockInfo): void {
  const current = parse(readRaw(path));
  if (current !== undefined && current.pid === info.pid && current.since === info.since && current.host === info.host)
    unlinkQuietly(path);
}
